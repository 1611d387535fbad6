// What a person sees and does in the VS Code workbench, as Playwright steps with deadlines.
import path from 'node:path';
import { waitFor } from './wait.mjs';

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Workbench {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ resultsDir: string, prefix: string }} options
   */
  constructor(page, { resultsDir, prefix }) {
    this.page = page;
    this.resultsDir = resultsDir;
    this.prefix = prefix;
  }

  /** The workbench is laid out and the (remote) extension host is connected. */
  async ready({ timeout = 60_000 } = {}) {
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout });
  }

  /** Saves `test-results/e2e/<prefix>-<step>.png` and returns its path. */
  async screenshot(step) {
    const file = path.join(this.resultsDir, `${this.prefix}-${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // --- command palette and quick input -----------------------------------------------------

  get quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox() {
    return this.quickInput.locator('.quick-input-box input');
  }

  /**
   * F1, type the command's title, pick the row whose label is exactly it. A terminal that opens meanwhile (a session
   * created just before attaches) takes the focus and closes the palette, for a user too, who opens it again: so
   * does this, up to 3 times.
   */
  async runCommand(title, { timeout = 10_000 } = {}) {
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      // F1 typed into a focused terminal makes VS Code toast "Some keybindings don't go to the
      // terminal…" over the notifications under test; take the keyboard focus out of it first.
      await this.page.evaluate(() => {
        const element = document.activeElement;
        if (element instanceof HTMLElement && element.closest('.terminal-wrapper, .xterm')) element.blur();
      });
      await this.page.keyboard.press('F1');
      await this.quickInput.waitFor({ state: 'visible', timeout });
      await this.quickInputBox.fill(`>${title}`);
      const row = this.quickInput.locator('.monaco-list-row').filter({
        has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
      }).first();
      await row.waitFor({ state: 'visible', timeout });
      try {
        await row.click({ timeout: attempt < 3 ? 3_000 : timeout });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  /**
   * Waits for an input box (optionally with this prompt text) and types `text` into it.
   * @param {string} text
   * @param {{ prompt?: string | RegExp, timeout?: number }} [options]
   */
  async fillInput(text, { prompt, timeout = 10_000 } = {}) {
    await this.quickInputBox.waitFor({ state: 'visible', timeout });
    if (prompt) await this.waitForQuickInputText(prompt, { timeout });
    await this.quickInputBox.fill(text);
  }

  /** Enter in the open input box. */
  async submitInput() {
    await this.quickInputBox.press('Enter');
  }

  /** The message under the input box: a prompt or a validation message. */
  async inputMessage() {
    const message = this.quickInput.locator('.quick-input-message');
    return (await message.count()) ? (await message.innerText()).trim() : '';
  }

  /** Waits until the quick input (title, prompt, validation message) shows text matching `pattern`. */
  async waitForQuickInputText(pattern, { timeout = 10_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return waitFor(async () => {
      if (!(await this.quickInput.isVisible())) return undefined;
      const text = await this.quickInput.innerText();
      return regex.test(text) ? text : undefined;
    }, { timeout, message: `quick input showing ${regex}` });
  }

  async closeQuickInput() {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
    }
  }

  // --- notifications -------------------------------------------------------------------------

  /** Texts of the notification toasts on screen (once their fade-in is over, so screenshots show them). */
  notifications() {
    return this.page.locator('.notification-toast.notification-fade-in-done .notification-list-item-message').allInnerTexts();
  }

  /** Clicks a button of the notification toast whose message matches `pattern`. */
  async clickNotificationButton(pattern, label, { timeout = 10_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    const toast = this.page.locator('.notification-toast.notification-fade-in-done').filter({ hasText: regex });
    await toast.getByRole('button', { name: label, exact: true }).click({ timeout });
  }

  async waitForNotification(pattern, { timeout = 15_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return waitFor(async () => (await this.notifications()).find((text) => regex.test(text)),
      { timeout, message: `a notification matching ${regex}` });
  }

  /** The buttons of the notification toast whose message matches `pattern`. */
  async notificationButtons(pattern) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    const toast = this.page.locator('.notification-toast').filter({
      has: this.page.locator('.notification-list-item-message', { hasText: regex }),
    }).first();
    return (await toast.locator('.monaco-button').allInnerTexts()).map((text) => text.trim());
  }

  // --- modal dialogs -------------------------------------------------------------------------

  get dialog() {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Waits for a modal dialog and returns its message text. */
  async waitForDialog({ timeout = 10_000 } = {}) {
    await this.dialog.waitFor({ state: 'visible', timeout });
    return (await this.dialog.innerText()).trim();
  }

  async clickDialogButton(label) {
    await this.dialog.locator('.monaco-button', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }).first().click();
    await this.dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  // --- status bar ----------------------------------------------------------------------------

  /**
   * Contrast of each status bar item's text with what is behind it (its own background, else the bar's), as WCAG
   * computes it, with the colours.
   */
  statusBarContrast() {
    return this.page.locator('#workbench\\.parts\\.statusbar .statusbar-item').evaluateAll((/** @type {HTMLElement[]} */ items) => {
      const rgb = (color) => (color.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
      const luminance = ([r, g, b]) => {
        const channel = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const background = (element) => {
        for (let node = element; node; node = node.parentElement) {
          const color = rgb(getComputedStyle(node).backgroundColor);
          if (color.length >= 3 && (color.length === 3 || color[3] > 0)) return color;
        }
        return [255, 255, 255];
      };
      return items.filter((item) => item.innerText.trim()).map((item) => {
        const text = item.querySelector('a') ?? item;
        const fg = rgb(getComputedStyle(text).color);
        const bg = background(text);
        const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
        return { id: item.id, text: item.innerText.trim(), fg: `rgb(${fg.slice(0, 3)})`, bg: `rgb(${bg.slice(0, 3)})`, contrast: (light + 0.05) / (dark + 0.05) };
      });
    });
  }

  /** Texts (and accessible labels) of the status bar items. */
  statusBarItems() {
    return this.page.locator('#workbench\\.parts\\.statusbar .statusbar-item').evaluateAll((/** @type {HTMLElement[]} */ items) =>
      items.map((item) => ({
        id: item.id,
        text: item.innerText.trim(),
        icons: [...item.querySelectorAll('.codicon')].flatMap((icon) => [...icon.classList].filter((c) => c.startsWith('codicon-'))),
        color: item.querySelector('a')?.style.color ?? '',
        label: item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? item.getAttribute('aria-label') ?? '',
      })).filter((item) => item.text || item.label));
  }

  async waitForStatusBar(pattern, { timeout = 15_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return waitFor(async () => (await this.statusBarItems()).find((item) => regex.test(item.text) || regex.test(item.label)),
      { timeout, message: `a status bar item matching ${regex}` });
  }

  // --- views and trees -----------------------------------------------------------------------

  /** Opens a view container from the activity bar by its title (e.g. "Plexus"). */
  async openViewContainer(title, { timeout = 10_000 } = {}) {
    const item = this.page.locator('.part.activitybar .action-item').filter({
      has: this.page.locator(`[aria-label^="${title}"]`),
    }).first();
    await item.waitFor({ state: 'visible', timeout });
    const label = item.locator('.action-label').first();
    // Clicking an already open container closes the sidebar: only click when it is not checked.
    if ((await item.getAttribute('aria-selected')) !== 'true' && !(await item.evaluate((el) => el.classList.contains('checked')))) {
      await label.click();
    }
    await this.page.locator('.part.sidebar .composite.title', { hasText: new RegExp(escapeRegExp(title), 'i') })
      .first().waitFor({ state: 'visible', timeout });
  }

  /** The pane of a view by its name as shown in its header (e.g. "Sessions"). */
  viewPane(name) {
    return this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator('.pane-header', { hasText: new RegExp(escapeRegExp(name), 'i') }),
    }).first();
  }

  /** Clicks a button of the view's welcome content (e.g. "Create Session"). */
  async clickWelcomeButton(viewName, label, { timeout = 10_000 } = {}) {
    const button = this.viewPane(viewName).locator('.welcome-view-content .monaco-button', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }).first();
    await button.waitFor({ state: 'visible', timeout });
    await button.click();
  }

  async waitForWelcomeText(viewName, pattern, { timeout = 15_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return waitFor(async () => {
      const text = await this.welcomeText(viewName);
      return regex.test(text) ? text : undefined;
    }, { timeout, message: `the "${viewName}" welcome view showing ${regex}` });
  }

  /** Text of the view's welcome content, or '' when the view shows a tree. */
  async welcomeText(viewName) {
    const welcome = this.viewPane(viewName).locator('.welcome-view-content');
    return (await welcome.count()) && (await welcome.isVisible()) ? (await welcome.innerText()).trim() : '';
  }

  /** The rows of a tree view: accessible label, visible label and description. */
  treeItems(viewName) {
    return this.viewPane(viewName).locator('.monaco-list-row').evaluateAll((/** @type {HTMLElement[]} */ rows) =>
      rows.map((row) => ({
        ariaLabel: row.getAttribute('aria-label') ?? '',
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        text: row.innerText.trim(),
      })));
  }

  /** Waits for a tree row whose label (or accessible label) matches `pattern`; returns the row's data. */
  async waitForTreeItem(viewName, pattern, { timeout = 15_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(`^${escapeRegExp(pattern)}$`) : pattern;
    return waitFor(async () => (await this.treeItems(viewName)).find((item) => regex.test(item.label) || regex.test(item.ariaLabel)),
      { timeout, message: `a "${viewName}" tree item matching ${regex}` });
  }

  async waitForNoTreeItem(viewName, pattern, { timeout = 15_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(`^${escapeRegExp(pattern)}$`) : pattern;
    return waitFor(async () => !(await this.treeItems(viewName)).some((item) => regex.test(item.label) || regex.test(item.ariaLabel)),
      { timeout, message: `no "${viewName}" tree item matching ${regex}` });
  }

  /** The row locator of a tree item by its exact label. */
  treeRow(viewName, label) {
    return this.viewPane(viewName).locator('.monaco-list-row').filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    }).first();
  }

  /** Runs the item action (an icon on the row, shown on hover) whose title is `action`. */
  async clickInlineAction(viewName, label, action, { timeout = 10_000 } = {}) {
    const row = this.treeRow(viewName, label);
    await row.hover();
    const button = row.locator(`.actions .action-label[aria-label="${action}"]`).first();
    await button.waitFor({ state: 'visible', timeout });
    await button.click();
    await this.nameSessionIfAsked(label);
  }

  /**
   * When VS Code lost the row a command was started from (the view redrew in between), the command asks which
   * session ("Session to …"); the user names the row's. Commands that ask for something else are left alone.
   */
  async nameSessionIfAsked(label) {
    const asked = await this.quickInputBox.waitFor({ state: 'visible', timeout: 1_000 }).then(() => true, () => false);
    if (asked && /^Session /.test((await this.quickInputBox.getAttribute('placeholder')) ?? '')) {
      await this.quickInputBox.fill(label);
      await this.quickInputBox.press('Enter');
    }
  }

  /**
   * Picks `action` from the context menu now open. VS Code's menu can drop a synthetic click that follows its opening
   * too closely; hovering focuses the item and Enter runs it, as the keyboard user would.
   */
  async pickMenuItem(action, { timeout = 10_000 } = {}) {
    const menuItem = await this.focusMenuItem(action, { timeout });
    await this.page.keyboard.press('Enter');
    await menuItem.waitFor({ state: 'hidden', timeout });
  }

  /** Waits for `action` in the open context menu and focuses it; returns its locator. */
  async focusMenuItem(action, { timeout }) {
    const menuItem = this.page.locator('.monaco-menu .action-item').filter({
      has: this.page.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(action)}$`) }),
    }).first();
    await menuItem.waitFor({ state: 'visible', timeout });
    await menuItem.hover();
    await waitFor(() => menuItem.evaluate((el) => el.classList.contains('focused')), { timeout, message: `menu item "${action}" focused` });
    return menuItem;
  }

  /**
   * Right-click a tree item and pick `action` from its context menu. A view redrawn while the menu opens (a
   * session changed) closes the menu, for a user too, who then right-clicks again: so does this, up to 3 times.
   */
  async treeContextMenu(viewName, label, action, { timeout = 10_000 } = {}) {
    for (let attempt = 1; ; attempt++) {
      await this.treeRow(viewName, label).click({ button: 'right' });
      let menuItem;
      try {
        menuItem = await this.focusMenuItem(action, { timeout: attempt < 3 ? 3_000 : timeout });
      } catch (error) {
        if (attempt >= 3) throw error;
        await this.page.keyboard.press('Escape');
        continue;
      }
      await this.page.keyboard.press('Enter');
      await menuItem.waitFor({ state: 'hidden', timeout });
      await this.nameSessionIfAsked(label);
      return;
    }
  }

  // --- editors ---------------------------------------------------------------------------------

  /** Titles of the editor tabs. */
  editorTabs() {
    return this.page.locator('.part.editor .tabs-container .tab .label-name').allInnerTexts();
  }

  /** The lines the active text editor draws (Monaco draws only the visible ones), top to bottom. */
  async editorLines() {
    const lines = this.page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').first();
    if (!(await lines.count())) return [];
    return lines.evaluate((el) => [.../** @type {NodeListOf<HTMLElement>} */ (el.querySelectorAll('.view-line'))]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => line.textContent.replace(/\u00a0/g, ' ')));
  }

  // --- terminal ------------------------------------------------------------------------------

  /** The tab of the terminal named `name`: in the tab list when there are several, else the single tab. */
  terminalTab(name) {
    const panel = this.page.locator('.part.panel');
    const word = new RegExp(`(^|\\s)${escapeRegExp(name)}(\\s|$)`);
    return panel.locator('.terminal-tabs-entry').filter({ hasText: word })
      .or(panel.locator('.single-terminal-tab').filter({ hasText: word })).first();
  }

  /** Names of the open terminals: the tab list when there are several, the single tab otherwise. */
  async terminalNames() {
    const panel = this.page.locator('.part.panel');
    const tabs = await panel.locator('.terminal-tabs-entry .label-name').allInnerTexts();
    if (tabs.length) return tabs.map((text) => text.trim());
    const single = await panel.locator('.single-terminal-tab').allInnerTexts();
    return single.map((text) => text.trim()).filter(Boolean);
  }

  /**
   * Text of the active terminal. With `terminal.integrated.gpuAcceleration: "off"` xterm.js uses
   * its DOM renderer, so the rows are real elements.
   */
  async terminalText() {
    const rows = this.page.locator('.terminal-wrapper.active .xterm-rows');
    if (!(await rows.count())) return '';
    return rows.first().evaluate((el) => [...el.children].map((row) => row.textContent.replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
  }

  async waitForTerminalText(pattern, { timeout = 15_000 } = {}) {
    const regex = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return waitFor(async () => {
      const text = await this.terminalText();
      return regex.test(text) ? text : undefined;
    }, { timeout, message: `the active terminal showing ${regex}` });
  }
}
