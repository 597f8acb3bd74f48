// One Diameter transport connection and its peer state machine, responder side (RFC 6733 §5.6,
// protocols.md §7.4): the first message must be a CER; the peer is matched to a configured Diameter
// client and the applications are negotiated (CEA 2001 → R-Open; 3010 unknown peer, 5010 no common
// application, 5012 already connected → close). In R-Open: DWR → DWA, DPR → DPA and close, requests of
// applications not negotiated → 3007, unknown commands → 3001, decoding and (ValidateIncomingMessages)
// validation errors → the RFC 6733 §7 answer, other requests → the application handler of DiameterCore.
// The RFC 3539 watchdog runs on the open connection (OKAY → DWR on idle → SUSPECT → DOWN → close).
// Nothing a peer sends may throw out of here: every input path is caught and ends in a clean close.
import type { Duplex } from 'node:stream';
import { avpOf, findAvp, makeAvp } from '../avp.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { ResultCode, isProtocolError, type DiameterError } from '../errors.js';
import { DiameterFramer } from '../framer.js';
import { HopByHopCounter } from '../ids.js';
import { createAnswer, createErrorAnswer, type LocalIdentity } from '../message.js';
import { MessageFlags, type Avp, type DiameterMessage } from '../types.js';
import { checkCommandSupported, validateMessage } from '../validate.js';
import type { DiameterCore, PeerRecord, PeerState, WatchdogState } from './core.js';
import {
  advertisedApplications, commonApplications, firmwareRevision, localApplications, matchClient, plainAddress,
  type DiameterClient, type DiameterSettings,
} from './settings.js';

export const CMD = { CapabilitiesExchange: 257, DeviceWatchdog: 280, DisconnectPeer: 282 } as const;
export const DisconnectCause = { REBOOTING: 0, BUSY: 1, DO_NOT_WANT_TO_TALK_TO_YOU: 2 } as const;
const ORIGIN_HOST = 264;

/** How long a closing socket may take to flush before it is destroyed. */
const LINGER_MS = 1000;

export interface ConnectionAddresses {
  /** The peer's address (IPv4-mapped forms are accepted). */
  remote: string;
  /** Our address on this connection: Host-IP-Address in the CEA. */
  local: string;
}

export class PeerConnection {
  /** State of this connection (a peer record's state mirrors it while this connection owns the peer). */
  state: PeerState = 'Closed';
  private readonly framer = new DiameterFramer();
  private readonly hopByHop = new HopByHopCounter();
  private peer: PeerRecord | undefined;
  private client: DiameterClient | undefined;
  private settings: DiameterSettings;
  private identity: LocalIdentity;
  private common = { auth: [] as number[], acct: [] as number[] };
  private watchdogTimer: NodeJS.Timeout | undefined;
  private dwrPending = false;
  private closed = false;
  private readonly closeWaiters: (() => void)[] = [];
  private readonly remote: string;
  private readonly local: string;

  constructor(private readonly core: DiameterCore, private readonly socket: Duplex, addresses: ConnectionAddresses,
    private readonly onClosed?: (c: PeerConnection) => void) {
    this.remote = plainAddress(addresses.remote);
    this.local = plainAddress(addresses.local);
    this.settings = core.settings();
    this.identity = { originHost: this.settings.identity, originRealm: this.settings.realm };
    socket.on('data', (chunk: Buffer) => this.guard(() => this.onData(chunk)));
    socket.on('error', (e: Error) => this.guard(() => this.close(`transport error: ${e.message}`)));
    socket.on('close', () => this.guard(() => this.close('connection closed by the peer')));
    socket.on('end', () => this.guard(() => this.close('connection closed by the peer')));
  }

  /** The peer's HostName once its CER was accepted. */
  get peerName(): string | undefined {
    return this.peer?.name;
  }

  get isOpen(): boolean {
    return this.state === 'R-Open';
  }

  get watchdog(): WatchdogState {
    return this.peer?.watchdog ?? 'INITIAL';
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.core.log.error('Server', `Internal error on the Diameter connection from ${this.who()}: ${e instanceof Error ? e.message : String(e)}`);
      try {
        this.close('internal error', true);
      } catch {
        // nothing more can be done for this connection
      }
    }
  }

  private who(): string {
    return this.peer ? `${this.peer.name} (${this.remote})` : this.remote;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    const { messages, error } = this.framer.push(chunk);
    for (const m of messages) {
      if (this.closed) return;
      this.onMessage(m);
    }
    if (error && !this.closed) {
      if (this.peer) this.peer.counters.protocolErrors++;
      this.core.log.warning('Server', `Closing the Diameter connection from ${this.who()}: ${error.message}`);
      this.close('framing error', true);
    }
  }

  private onMessage(buf: Buffer): void {
    const decoded = decodeMessage(buf, this.core.dict);
    if (!decoded.ok && (decoded.fatal || !decoded.partial)) {
      if (this.peer) this.peer.counters.protocolErrors++;
      this.core.log.warning('Server', `Closing the Diameter connection from ${this.who()}: ${decoded.error.message}`);
      this.close('undecodable message', true);
      return;
    }
    const msg = decoded.ok ? decoded.message : decoded.partial!;
    const error = decoded.ok ? undefined : decoded.error;
    const request = (msg.flags & MessageFlags.Request) !== 0;
    if (this.state === 'Closed') {
      if (!request || msg.commandCode !== CMD.CapabilitiesExchange || msg.applicationId !== 0) {
        this.core.log.warning('Server', `Closing the Diameter connection from ${this.remote}: the first message is not a CER (command ${msg.commandCode}, application ${msg.applicationId})`);
        this.close('no CER', true);
        return;
      }
      this.onCer(msg, error);
      return;
    }
    const peer = this.peer!;
    this.watchdogReceived();
    if (!request) {
      this.onAnswer(peer, msg);
      return;
    }
    this.core.tally(peer, msg.applicationId, msg.commandCode, true);
    if (error) {
      this.sendAnswer(createErrorAnswer(this.core.dict, msg, this.identity, error));
      return;
    }
    if (msg.applicationId === 0 && msg.commandCode === CMD.DeviceWatchdog) {
      peer.counters.DWRReceived++;
      const dwa = createAnswer(this.core.dict, msg, this.identity, ResultCode.SUCCESS);
      dwa.avps.push(makeAvp(this.core.dict, 'Origin-State-Id', this.core.originStateId));
      peer.counters.DWASent++;
      this.sendAnswer(dwa);
      return;
    }
    if (msg.applicationId === 0 && msg.commandCode === CMD.DisconnectPeer) {
      peer.counters.DPRReceived++;
      const cause = findAvp(msg.avps, this.core.dict.avpByName('Disconnect-Cause')!)?.value;
      peer.counters.DPASent++;
      this.sendAnswer(createAnswer(this.core.dict, msg, this.identity, ResultCode.SUCCESS));
      this.close(`DPR received (Disconnect-Cause ${typeof cause === 'number' ? cause : 'absent'})`);
      return;
    }
    if (msg.applicationId === 0 && msg.commandCode === CMD.CapabilitiesExchange) {
      peer.counters.CERReceived++;
      this.sendAnswer(createErrorAnswer(this.core.dict, msg, this.identity,
        { resultCode: ResultCode.UNABLE_TO_COMPLY, message: 'capabilities were already exchanged on this connection' }));
      return;
    }
    const problem = this.checkRequest(msg);
    if (problem) {
      this.sendAnswer(createErrorAnswer(this.core.dict, msg, this.identity, problem));
      return;
    }
    peer.counters.requestsIn++;
    this.dispatch(peer, msg);
  }

  /** 3007 for applications not negotiated, 3001 for unknown commands, then the dictionary checks when enabled. */
  private checkRequest(msg: DiameterMessage): DiameterError | undefined {
    const app = msg.applicationId;
    if (app !== 0 && !this.common.auth.includes(app) && !this.common.acct.includes(app)) {
      return { resultCode: ResultCode.APPLICATION_UNSUPPORTED, message: `application ${app} was not negotiated with this peer` };
    }
    const unsupported = checkCommandSupported(msg, this.core.dict);
    if (unsupported) return unsupported;
    return this.settings.validateIncoming ? validateMessage(msg, this.core.dict) : undefined;
  }

  private dispatch(peer: PeerRecord, msg: DiameterMessage): void {
    const handler = this.core.applicationHandler;
    if (!handler) {
      this.sendAnswer(createErrorAnswer(this.core.dict, msg, this.identity,
        { resultCode: ResultCode.UNABLE_TO_DELIVER, message: `no handler for application ${msg.applicationId} command ${msg.commandCode}` }));
      return;
    }
    this.core.inFlight?.begin();
    let answered = false;
    const finish = (answer: DiameterMessage | undefined): void => {
      if (answered) return;
      answered = true;
      this.core.inFlight?.end();
      if (answer && !this.closed) this.sendAnswer(answer);
    };
    Promise.resolve()
      .then(() => handler(msg, { peer: peer.name, client: this.client!.name, identity: this.identity }))
      .then(finish, (e: unknown) => {
        this.core.log.error('Server', `Diameter application handler failed for ${this.who()}: ${e instanceof Error ? e.message : String(e)}`);
        finish(createErrorAnswer(this.core.dict, msg, this.identity, { resultCode: ResultCode.UNABLE_TO_COMPLY, message: 'internal error' }));
      });
  }

  private onAnswer(peer: PeerRecord, msg: DiameterMessage): void {
    const rc = findAvp(msg.avps, 268)?.value;
    this.core.tally(peer, msg.applicationId, msg.commandCode, false, typeof rc === 'number' ? rc : undefined);
    if (msg.applicationId === 0 && msg.commandCode === CMD.DeviceWatchdog) {
      peer.counters.DWAReceived++;
      this.dwrPending = false;
      return;
    }
    if (msg.applicationId === 0 && msg.commandCode === CMD.DisconnectPeer) {
      peer.counters.DPAReceived++;
      if (this.state === 'Closing') this.close('DPA received');
      return;
    }
    peer.counters.answersIn++;
  }

  private onCer(msg: DiameterMessage, decodeError: DiameterError | undefined): void {
    const hostAvp = findAvp(msg.avps, ORIGIN_HOST);
    const originHost = typeof hostAvp?.value === 'string' ? hostAvp.value : '';
    this.core.log.info('Server', `Received CER from the peer(${originHost || '?'}), IP: ${this.remote}`);
    const match = matchClient(this.settings, originHost, this.remote);
    if (!match.client) {
      this.core.log.warning('Server', `Rejected CER from ${this.remote}: ${match.reason} (DIAMETER_UNKNOWN_PEER)`);
      this.send(createErrorAnswer(this.core.dict, msg, this.identity, { resultCode: ResultCode.UNKNOWN_PEER, message: 'unknown peer' }));
      this.close('unknown peer', true);
      return;
    }
    const client = match.client;
    const peer = this.core.peer(client.hostName);
    peer.counters.CERReceived++;
    const refuse = (error: DiameterError, reason: string): void => {
      this.core.log.warning('Server', `Rejected CER from ${client.hostName} (${this.remote}): ${reason}`);
      peer.counters.CEASent++;
      if (isProtocolError(error.resultCode)) peer.counters.protocolErrors++;
      this.send(this.cea(msg, error.resultCode, { auth: [], acct: [] }, error));
      this.close(reason, true);
    };
    if (decodeError) return refuse(decodeError, decodeError.message);
    if (this.settings.validateIncoming) {
      const invalid = validateMessage(msg, this.core.dict);
      if (invalid) return refuse(invalid, invalid.message);
    }
    if (peer.owner && peer.owner !== this) {
      // freeDiameter's behaviour (peers.md §8.2): the connection already open wins; election (§5.6.4) only
      // matters once areg also initiates connections.
      return refuse({ resultCode: ResultCode.UNABLE_TO_COMPLY, message: `${client.hostName} is already connected` },
        'a connection with this peer is already open (DIAMETER_UNABLE_TO_COMPLY)');
    }
    const common = commonApplications(localApplications(this.settings, client), advertisedApplications(msg.avps));
    if (common.auth.length === 0 && common.acct.length === 0) {
      return refuse({ resultCode: ResultCode.NO_COMMON_APPLICATION, message: 'no common application' }, 'no common application (DIAMETER_NO_COMMON_APPLICATION)');
    }
    this.peer = peer;
    this.client = client;
    this.common = common;
    peer.owner = this;
    peer.counters.CEASent++;
    this.send(this.cea(msg, ResultCode.SUCCESS, common));
    this.setState('R-Open');
    peer.watchdog = 'OKAY';
    this.dwrPending = false;
    this.armWatchdog();
    this.core.log.info('Server', `Capabilities are successfully exchanged with ${client.hostName}`);
    this.core.log.info('Server', `Device-Watchdog-Request thread activated for peer ${client.hostName}`);
  }

  /** CEA (RFC 6733 §5.3.2): E bit and answer-message layout for 3xxx, the CEA layout otherwise. */
  private cea(cer: DiameterMessage, resultCode: number, apps: { auth: number[]; acct: number[] },
    error?: DiameterError): DiameterMessage {
    const dict = this.core.dict;
    if (error && isProtocolError(resultCode)) return createErrorAnswer(dict, cer, this.identity, error);
    const answer = createAnswer(dict, cer, this.identity, resultCode);
    const avps: Avp[] = [
      makeAvp(dict, 'Host-IP-Address', this.local || '127.0.0.1'),
      makeAvp(dict, 'Vendor-Id', this.settings.vendorId),
      makeAvp(dict, 'Product-Name', this.settings.product),
      makeAvp(dict, 'Origin-State-Id', this.core.originStateId),
    ];
    if (error) {
      avps.push(makeAvp(dict, 'Error-Message', error.message));
      if (error.failedAvp) avps.push(avpOf(dict.avpByName('Failed-AVP')!, error.failedAvp));
    }
    for (const id of apps.auth) avps.push(makeAvp(dict, 'Auth-Application-Id', id));
    for (const id of apps.acct) avps.push(makeAvp(dict, 'Acct-Application-Id', id));
    avps.push(makeAvp(dict, 'Firmware-Revision', firmwareRevision(this.settings.version)));
    // Result-Code, Origin-Host, Origin-Realm first; Proxy-Info (if any) stays last.
    answer.avps.splice(3, 0, ...avps);
    return answer;
  }

  private setState(s: PeerState): void {
    this.state = s;
    if (this.peer && this.peer.owner === this) this.peer.state = s;
  }

  private send(msg: DiameterMessage): void {
    if (this.closed) return;
    this.socket.write(encodeMessage(msg));
  }

  private sendAnswer(msg: DiameterMessage): void {
    const peer = this.peer;
    if (peer) {
      const rc = findAvp(msg.avps, 268)?.value;
      const code = typeof rc === 'number' ? rc : 0;
      if (!(msg.applicationId === 0 && (msg.commandCode === CMD.DeviceWatchdog || msg.commandCode === CMD.DisconnectPeer))) peer.counters.answersOut++;
      if (isProtocolError(code)) peer.counters.protocolErrors++;
      this.core.tally(peer, msg.applicationId, msg.commandCode, false, code);
    }
    this.send(msg);
  }

  private request(commandCode: number, avps: Avp[]): DiameterMessage {
    const dict = this.core.dict;
    return {
      flags: MessageFlags.Request,
      commandCode,
      applicationId: 0,
      hopByHopId: this.hopByHop.next(),
      endToEndId: this.core.endToEnd.next(),
      avps: [makeAvp(dict, 'Origin-Host', this.identity.originHost), makeAvp(dict, 'Origin-Realm', this.identity.originRealm), ...avps],
    };
  }

  // ---- watchdog (RFC 3539 §3.4) ----

  private watchdogInterval(): number {
    const jitter = this.core.watchdogJitterMs ? Math.round((Math.random() * 2 - 1) * this.core.watchdogJitterMs) : 0;
    if (this.core.watchdogMs !== undefined) return Math.max(1, this.core.watchdogMs + jitter);
    return Math.max(6000, this.settings.watchdogTimeoutMs + jitter);
  }

  private armWatchdog(): void {
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer);
    this.watchdogTimer = setTimeout(() => this.guard(() => this.watchdogExpired()), this.watchdogInterval());
    this.watchdogTimer.unref?.();
  }

  private watchdogReceived(): void {
    const peer = this.peer;
    if (!peer || this.state !== 'R-Open') return;
    if (peer.watchdog === 'SUSPECT') {
      peer.watchdog = 'OKAY';
      this.core.log.info('Server', `Peer ${peer.name} is responsive again (watchdog OKAY)`);
    }
    this.armWatchdog();
  }

  private watchdogExpired(): void {
    const peer = this.peer;
    if (this.closed || !peer || this.state !== 'R-Open') return;
    if (peer.watchdog === 'SUSPECT') {
      peer.watchdog = 'DOWN';
      this.core.log.warning('Server', `Peer ${peer.name} did not answer the Device-Watchdog-Request (watchdog DOWN); closing the connection`);
      this.close('watchdog timeout', true);
      return;
    }
    if (this.dwrPending) {
      peer.watchdog = 'SUSPECT';
      this.core.log.warning('Server', `Peer ${peer.name} did not answer the Device-Watchdog-Request (watchdog SUSPECT)`);
    } else {
      this.dwrPending = true;
      peer.counters.DWRSent++;
      this.core.tally(peer, 0, CMD.DeviceWatchdog, true);
      this.send(this.request(CMD.DeviceWatchdog, [makeAvp(this.core.dict, 'Origin-State-Id', this.core.originStateId)]));
    }
    this.armWatchdog();
  }

  // ---- closing ----

  /** Local stop: DPR with `cause` to an open peer, then close on the DPA or after `waitMs`. */
  disconnect(cause: number, waitMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.state !== 'R-Open') {
      this.close('server stopping', true);
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer);
    this.peer!.counters.DPRSent++;
    this.core.tally(this.peer!, 0, CMD.DisconnectPeer, true);
    this.send(this.request(CMD.DisconnectPeer, [makeAvp(this.core.dict, 'Disconnect-Cause', cause)]));
    this.setState('Closing');
    const timer = setTimeout(() => this.guard(() => this.close('no DPA before the stop deadline', true)), Math.max(0, waitMs));
    timer.unref?.();
    return done.finally(() => clearTimeout(timer));
  }

  /** Closes the connection (once); `abrupt` destroys instead of flushing. */
  close(reason: string, abrupt = false): void {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer);
    const peer = this.peer;
    if (peer && peer.owner === this) {
      peer.state = 'Closed';
      if (peer.watchdog !== 'DOWN') peer.watchdog = 'DOWN';
      peer.owner = undefined;
      this.core.log.info('Server', `Diameter peer ${peer.name} (${this.remote}) disconnected: ${reason}`);
    }
    this.state = 'Closed';
    try {
      if (abrupt) {
        // Let an error CEA already written reach the peer, then drop the connection.
        this.socket.end();
        const t = setTimeout(() => this.socket.destroy(), 50);
        t.unref?.();
      } else {
        this.socket.end();
        const t = setTimeout(() => this.socket.destroy(), LINGER_MS);
        t.unref?.();
      }
    } catch {
      // the socket is already gone
    }
    for (const w of this.closeWaiters.splice(0)) w();
    this.onClosed?.(this);
  }
}
