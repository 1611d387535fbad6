// The client's side of initialize against a scripted host over in-memory streams (no process): a host that
// speaks another protocol version yields one clear error, whichever way it says so.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { hostEnvironment, PlexusClient, VersionMismatchError } from '../../extension/client';
import { ErrorCodes, protocolVersion, type InitializeResult } from '../../extension/protocol';

const versionMessage = /^Plexus host and extension versions do not match — update Plexus \(reinstall the extension\)\.$/;

describe('PlexusClient.initialize against a scripted host', () => {
  const open: { dispose(): void }[] = [];

  /** A client wired to a fake host whose `initialize` handler is `answer`. */
  function connect(answer: () => InitializeResult | ResponseError): PlexusClient {
    const toHost = new PassThrough();
    const fromHost = new PassThrough();
    const host: MessageConnection = createMessageConnection(new StreamMessageReader(toHost), new StreamMessageWriter(fromHost));
    host.onRequest('initialize', answer);
    host.listen();
    const client = PlexusClient.fromStreams(fromHost, toHost);
    open.push(client, host);
    return client;
  }

  const result = (version: number): InitializeResult => ({
    serverVersion: 'test',
    protocolVersion: version,
    tmuxVersion: '3.3a',
    serverRunning: true,
    socketPath: '/tmp/tmux-test/default',
  });

  afterEach(() => {
    open.splice(0).forEach((d) => d.dispose());
  });

  it('turns UnsupportedProtocolVersion into the version-mismatch message, keeping the host words as detail', async () => {
    const client = connect(() => new ResponseError(ErrorCodes.UnsupportedProtocolVersion, 'protocol 1 is not supported; this host speaks 2'));

    await assert.rejects(client.initialize('test'), (error: unknown) => {
      assert.ok(error instanceof VersionMismatchError, String(error));
      assert.match(error.message, versionMessage);
      assert.match(error.detail, /this host speaks 2/);
      return true;
    });
  });

  it('refuses a host that answers with another protocol version', async () => {
    const client = connect(() => result(protocolVersion + 1));

    await assert.rejects(client.initialize('test'), (error: unknown) => error instanceof VersionMismatchError && versionMessage.test(error.message));
  });

  it('passes other initialize errors through unchanged', async () => {
    const client = connect(() => new ResponseError(ErrorCodes.TmuxCommandFailed, 'boom'));

    await assert.rejects(client.initialize('test'), (error: unknown) => error instanceof ResponseError && !(error instanceof VersionMismatchError));
  });

  it('returns the result of a host that speaks the same version', async () => {
    const client = connect(() => result(protocolVersion));

    assert.equal((await client.initialize('test')).protocolVersion, protocolVersion);
  });
});

describe('hostEnvironment', () => {
  it('turns the .NET diagnostics socket off and keeps the rest of the environment', () => {
    const env = hostEnvironment({ PATH: '/usr/bin', HOME: '/home/x', DOTNET_EnableDiagnostics: '1' });

    assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/home/x', DOTNET_EnableDiagnostics: '0' });
  });
});
