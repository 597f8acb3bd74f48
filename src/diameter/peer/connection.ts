// One Diameter transport connection and its peer state machine, responder side (RFC 6733 §5.6,
// protocols.md §7.4): the first message must be a CER; the peer is matched to a configured Diameter
// client and the applications are negotiated (CEA 2001 → R-Open; 3010 unknown peer, 5010 no common
// application, 5012 already connected → close). In R-Open: DWR → DWA, DPR → DPA and close, requests of
// applications not negotiated → 3007, unknown commands → 3001, decoding and (ValidateIncomingMessages)
// validation errors → the RFC 6733 §7 answer, other requests → the application handler of DiameterCore.
// The RFC 3539 watchdog runs on the open connection (OKAY → DWR on idle → SUSPECT → DOWN → close).
// Initiator side (RemotePeer in initiator.ts dials, then calls connected()): Wait-Conn-Ack → CER →
// Wait-I-CEA → CEA 2001 from the configured HostName → I-Open (anything else, or no CEA within Tw, closes);
// a reconnect starts the watchdog in REOPEN (DWR at once, three DWAs → OKAY, application requests thrown
// away meanwhile). Election (RFC 6733 §5.6.4): a CER from a peer whose connection we are still initiating
// compares the Origin-Hosts (ASCII case-insensitive octets); if ours is larger we win, close our initiated
// connection and answer the CER; otherwise the CER waits until our connection opens (then the responder
// connection is dropped) or fails (then the CER is answered after all).
// Nothing a peer sends may throw out of here: every input path is caught and ends in a clean close.
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
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
  advertisedApplications, commonApplications, demandsInbandTls, firmwareRevision, localApplications, matchClient, plainAddress,
  type DiameterClient, type DiameterRemoteServer, type DiameterSettings,
} from './settings.js';

export const CMD = { CapabilitiesExchange: 257, DeviceWatchdog: 280, DisconnectPeer: 282 } as const;
export const DisconnectCause = { REBOOTING: 0, BUSY: 1, DO_NOT_WANT_TO_TALK_TO_YOU: 2 } as const;
const ORIGIN_HOST = 264;
/** DWAs in REOPEN before the watchdog goes back to OKAY (RFC 3539 §3.4.1). */
const REOPEN_DWAS = 3;

/** A connection we initiate: the remote server it serves, and whether this is a reconnect (REOPEN). */
export interface InitiatorRole {
  server: DiameterRemoteServer;
  reopen: boolean;
}

/** Responder connections whose CER lost an election and waits for our own connection's outcome. */
const electionWaiters = new WeakMap<PeerRecord, PeerConnection>();

/** RFC 6733 §5.6.4: true when `local` wins against `remote` (octet strings, ASCII letters case-insensitive). */
export function winsElection(local: string, remote: string): boolean {
  const lower = (s: string): Buffer => Buffer.from(s.replace(/[A-Z]/g, (c) => c.toLowerCase()), 'utf8');
  return Buffer.compare(lower(local), lower(remote)) > 0;
}

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
  /** When the watchdog is due (ms since the epoch): traffic moves it on without touching the timer. */
  private watchdogDue = 0;
  /** Writes since the last flush are corked and leave together (one syscall for the answers of one turn). */
  private corked = false;
  private dwrPending = false;
  private closed = false;
  private readonly closeWaiters: (() => void)[] = [];
  private remote: string;
  private local: string;
  /** REOPEN: DWAs received since the reconnect; -1 after a timer expiry with a DWR pending. */
  private numDwa = 0;
  /** A CER that lost an election, answered if our own connection fails. */
  private heldCer: { msg: DiameterMessage; client: DiameterClient; peer: PeerRecord; common: { auth: number[]; acct: number[] } } | undefined;
  /** True once this connection reached R-Open or I-Open. */
  wasOpen = false;

  /** TLS from the first byte (the TLS listener or a tls RemoteServer). */
  private readonly secure: boolean;

  constructor(private readonly core: DiameterCore, private readonly socket: Duplex, addresses: ConnectionAddresses,
    private readonly onClosed?: (c: PeerConnection) => void, private readonly initiator?: InitiatorRole) {
    this.secure = socket instanceof TLSSocket;
    this.remote = plainAddress(addresses.remote);
    this.local = plainAddress(addresses.local);
    this.settings = core.settings();
    this.identity = { originHost: this.settings.identity, originRealm: this.settings.realm };
    if (initiator) {
      this.peer = core.peer(initiator.server.hostName);
      if (!this.peer.owner) this.peer.owner = this;
      this.setState('Wait-Conn-Ack');
    }
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
    return this.state === 'R-Open' || this.state === 'I-Open';
  }

  /** An initiated connection not yet open (Wait-Conn-Ack, Wait-I-CEA): the election's other side. */
  get initiating(): boolean {
    return this.initiator !== undefined && !this.closed && (this.state === 'Wait-Conn-Ack' || this.state === 'Wait-I-CEA');
  }

  /** Initiator: the transport is up (TCP connected, TLS handshake done): send the CER, wait for the CEA. */
  connected(addresses: ConnectionAddresses): void {
    this.guard(() => {
      const role = this.initiator;
      if (!role || this.closed || this.state !== 'Wait-Conn-Ack') return;
      this.remote = plainAddress(addresses.remote) || this.remote;
      this.local = plainAddress(addresses.local);
      const peer = this.peer!;
      this.core.log.info('Server', `Connected to RemoteServer ${role.server.name}`);
      this.core.log.info('Server', `Initiating CER to ${this.remote}...`);
      const apps = localApplications(this.settings, undefined);
      const dict = this.core.dict;
      const cer = this.request(CMD.CapabilitiesExchange, [
        makeAvp(dict, 'Host-IP-Address', this.local || '127.0.0.1'),
        makeAvp(dict, 'Vendor-Id', this.settings.vendorId),
        makeAvp(dict, 'Product-Name', this.settings.product),
        makeAvp(dict, 'Origin-State-Id', this.core.originStateId),
        ...apps.auth.map((id) => makeAvp(dict, 'Auth-Application-Id', id)),
        ...apps.acct.map((id) => makeAvp(dict, 'Acct-Application-Id', id)),
        makeAvp(dict, 'Firmware-Revision', firmwareRevision(this.settings.version)),
      ]);
      peer.counters.CERSent++;
      this.core.tally(peer, 0, CMD.CapabilitiesExchange, true);
      this.setState('Wait-I-CEA');
      this.send(cer);
      // No CEA within Tw: a peer that accepts connections but does not answer (stopped, overloaded).
      this.armWatchdog();
    });
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
    if (this.heldCer) {
      this.core.log.warning('Server', `Closing the Diameter connection from ${this.remote}: a message (command ${msg.commandCode}) before the CEA`);
      this.close('unexpected message', true);
      return;
    }
    if (this.state === 'Closed') {
      if (!request || msg.commandCode !== CMD.CapabilitiesExchange || msg.applicationId !== 0) {
        this.core.log.warning('Server', `Closing the Diameter connection from ${this.remote}: the first message is not a CER (command ${msg.commandCode}, application ${msg.applicationId})`);
        this.close('no CER', true);
        return;
      }
      this.onCer(msg, error);
      return;
    }
    if (this.state === 'Wait-I-CEA') {
      this.onCea(msg, request, error);
      return;
    }
    if (!this.isOpen && this.state !== 'Closing') {
      // Wait-Conn-Ack, or a CER held by an election: nothing else may arrive before the CEA.
      this.core.log.warning('Server', `Closing the Diameter connection with ${this.who()}: unexpected message (command ${msg.commandCode}) in state ${this.state}`);
      this.close('unexpected message', true);
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
    if (peer.watchdog === 'REOPEN') {
      // RFC 3539: traffic other than the watchdog is thrown away until three DWAs have come back.
      this.core.log.debug('Server', `Discarded request (application ${msg.applicationId} command ${msg.commandCode}) from ${this.who()}: watchdog REOPEN`);
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
      .then(() => handler(msg, { peer: peer.name, client: this.client?.name ?? this.initiator?.server.name ?? peer.name, identity: this.identity, address: this.remote }))
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
      if (peer.watchdog === 'REOPEN' && this.dwrPending) {
        this.numDwa = Math.max(0, this.numDwa) + 1;
        if (this.numDwa >= REOPEN_DWAS) {
          peer.watchdog = 'OKAY';
          this.core.log.info('Server', `Peer ${peer.name} answered ${REOPEN_DWAS} Device-Watchdog-Requests after the reconnect (watchdog OKAY)`);
          this.armWatchdog();
        }
      }
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
    const common = commonApplications(localApplications(this.settings, client), advertisedApplications(msg.avps));
    if (common.auth.length === 0 && common.acct.length === 0) {
      return refuse({ resultCode: ResultCode.NO_COMMON_APPLICATION, message: 'no common application' }, 'no common application (DIAMETER_NO_COMMON_APPLICATION)');
    }
    if (!this.secure && demandsInbandTls(msg.avps)) {
      return refuse({ resultCode: ResultCode.NO_COMMON_SECURITY, message: 'in-band TLS (Inband-Security-Id TLS) is not supported: use the TLS port' },
        'the peer offers only in-band TLS (DIAMETER_NO_COMMON_SECURITY)');
    }
    const owner = peer.owner;
    if (owner instanceof PeerConnection && owner !== this && owner.initiating && !electionWaiters.has(peer)) {
      // Both sides connected at once (RFC 6733 §5.6.4): the winner closes the connection it initiated.
      if (winsElection(this.identity.originHost, originHost)) {
        this.core.log.info('Server', `Election with ${client.hostName} won (${this.identity.originHost} > ${originHost}): closing the connection we initiated`);
        owner.close('election won: the peer\'s connection is kept');
      } else {
        this.core.log.info('Server', `Election with ${client.hostName} lost (${this.identity.originHost} < ${originHost}): keeping the connection we initiated`);
        this.heldCer = { msg, client, peer, common };
        electionWaiters.set(peer, this);
        return;
      }
    }
    if (peer.owner && peer.owner !== this) {
      // freeDiameter's behaviour (peers.md §8.2): the connection already open (or being opened) wins.
      return refuse({ resultCode: ResultCode.UNABLE_TO_COMPLY, message: `${client.hostName} is already connected` },
        'a connection with this peer is already open (DIAMETER_UNABLE_TO_COMPLY)');
    }
    this.acceptCer(msg, client, peer, common);
  }

  private acceptCer(msg: DiameterMessage, client: DiameterClient, peer: PeerRecord, common: { auth: number[]; acct: number[] }): void {
    this.peer = peer;
    this.client = client;
    this.common = common;
    peer.owner = this;
    peer.counters.CEASent++;
    this.send(this.cea(msg, ResultCode.SUCCESS, common));
    this.setState('R-Open');
    this.wasOpen = true;
    peer.watchdog = 'OKAY';
    this.dwrPending = false;
    this.armWatchdog();
    this.core.log.info('Server', `Capabilities are successfully exchanged with ${client.hostName}`);
    this.core.log.info('Server', `Device-Watchdog-Request thread activated for peer ${client.hostName}`);
  }

  /** Election lost, then our initiated connection failed: answer the held CER after all (Wait-Returns → R-Open). */
  private resumeHeldCer(): void {
    const held = this.heldCer;
    this.heldCer = undefined;
    if (!held || this.closed) return;
    if (held.peer.owner && held.peer.owner !== this) {
      this.close('election lost: the connection we initiated is open', true);
      return;
    }
    this.acceptCer(held.msg, held.client, held.peer, held.common);
  }

  /** Initiator, Wait-I-CEA: the CEA must be the answer to our CER, Result-Code 2001, from the configured HostName. */
  private onCea(msg: DiameterMessage, request: boolean, error: DiameterError | undefined): void {
    const role = this.initiator!;
    const peer = this.peer!;
    const expected = role.server.hostName;
    if (request || msg.commandCode !== CMD.CapabilitiesExchange || msg.applicationId !== 0) {
      this.core.log.warning('Server', `Closing the Diameter connection to ${expected} (${this.remote}): expected a CEA, received command ${msg.commandCode}${request ? ' request' : ''}`);
      this.close('no CEA', true);
      return;
    }
    peer.counters.CEAReceived++;
    const rcAvp = findAvp(msg.avps, 268)?.value;
    const rc = typeof rcAvp === 'number' ? rcAvp : undefined;
    this.core.tally(peer, 0, CMD.CapabilitiesExchange, false, rc);
    const hostAvp = findAvp(msg.avps, ORIGIN_HOST)?.value;
    const originHost = typeof hostAvp === 'string' ? hostAvp : '';
    this.core.log.info('Server', `Received CEA from the peer(${originHost || '?'}), IP: ${this.remote}`);
    if (error || rc !== ResultCode.SUCCESS) {
      const text = findAvp(msg.avps, this.core.dict.avpByName('Error-Message')!)?.value;
      this.core.log.warning('Server', `Capabilities exchange with ${expected} (${this.remote}) failed: Result-Code ${rc ?? 'absent'}${typeof text === 'string' ? ` (${text})` : ''}${error ? `, ${error.message}` : ''}`);
      this.close(`CEA Result-Code ${rc ?? 'absent'}`, true);
      return;
    }
    if (originHost.toLowerCase() !== expected.toLowerCase()) {
      peer.counters.protocolErrors++;
      this.core.log.warning('Server', `Closing the Diameter connection to ${this.remote}: the CEA comes from ${originHost || 'no Origin-Host'}, RemoteServer ${role.server.name} expects HostName ${expected}`);
      this.close('CEA from another Origin-Host', true);
      return;
    }
    if (!this.secure && demandsInbandTls(msg.avps)) {
      peer.counters.protocolErrors++;
      this.core.log.warning('Server', `Closing the Diameter connection to ${expected} (${this.remote}): its CEA asks for in-band TLS (Inband-Security-Id TLS), which areg does not do; give RemoteServer ${role.server.name} TransportProtocol tls`);
      this.close('CEA demands in-band TLS', true);
      return;
    }
    if (peer.owner !== this) {
      // A responder connection of the same peer opened first (election won by the peer's side).
      this.core.log.info('Server', `Closing the connection to ${expected} (${this.remote}): the peer is already connected`);
      this.close('peer already connected', true);
      return;
    }
    this.common = commonApplications(localApplications(this.settings, undefined), advertisedApplications(msg.avps));
    this.setState('I-Open');
    this.wasOpen = true;
    this.dwrPending = false;
    this.core.log.info('Server', `Capabilities are successfully exchanged with ${expected}`);
    this.core.log.info('Server', `Device-Watchdog-Request thread activated for peer ${expected}`);
    const waiting = electionWaiters.get(peer);
    if (waiting) {
      electionWaiters.delete(peer);
      waiting.resumeHeldCer();
    }
    if (role.reopen) {
      // RFC 3539 REOPEN: a DWR at once; three DWAs before the peer takes traffic again.
      peer.watchdog = 'REOPEN';
      this.numDwa = 0;
      this.sendDwr(peer);
    } else {
      peer.watchdog = 'OKAY';
    }
    this.armWatchdog();
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
    const buf = encodeMessage(msg);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      // After the microtasks of this turn: answers of requests that arrived together are resolved by then.
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(buf);
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
    const interval = this.watchdogInterval();
    this.watchdogDue = Date.now() + interval;
    this.startWatchdogTimer(interval);
  }

  private startWatchdogTimer(ms: number): void {
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer);
    this.watchdogTimer = setTimeout(() => this.guard(() => this.watchdogTimerFired()), ms);
    this.watchdogTimer.unref?.();
  }

  /** The timer may be early: traffic since it was set moved the due time on (no timer work per message). */
  private watchdogTimerFired(): void {
    const early = this.watchdogDue - Date.now();
    if (early > 0) this.startWatchdogTimer(early);
    else this.watchdogExpired();
  }

  private watchdogReceived(): void {
    const peer = this.peer;
    if (!peer || !this.isOpen || peer.owner !== this) return;
    if (peer.watchdog === 'REOPEN') return;
    if (peer.watchdog === 'SUSPECT') {
      peer.watchdog = 'OKAY';
      this.core.log.info('Server', `Peer ${peer.name} is responsive again (watchdog OKAY)`);
      this.armWatchdog();
      return;
    }
    this.watchdogDue = Date.now() + this.watchdogInterval();
  }

  private watchdogExpired(): void {
    const peer = this.peer;
    if (this.closed || !peer) return;
    if (this.state === 'Wait-I-CEA') {
      this.core.log.warning('Server', `No CEA from ${peer.name} (${this.remote}) within the watchdog interval; closing the connection`);
      this.close('no CEA', true);
      return;
    }
    if (!this.isOpen || peer.owner !== this) return;
    if (peer.watchdog === 'REOPEN') {
      if (!this.dwrPending) this.sendDwr(peer);
      else if (this.numDwa < 0) {
        peer.watchdog = 'DOWN';
        this.core.log.warning('Server', `Peer ${peer.name} did not answer the Device-Watchdog-Requests after the reconnect (watchdog DOWN); closing the connection`);
        this.close('watchdog timeout', true);
        return;
      } else this.numDwa = -1;
      this.armWatchdog();
      return;
    }
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
      this.sendDwr(peer);
    }
    this.armWatchdog();
  }

  private sendDwr(peer: PeerRecord): void {
    this.dwrPending = true;
    peer.counters.DWRSent++;
    this.core.tally(peer, 0, CMD.DeviceWatchdog, true);
    this.send(this.request(CMD.DeviceWatchdog, [makeAvp(this.core.dict, 'Origin-State-Id', this.core.originStateId)]));
  }

  // ---- closing ----

  /** Local stop: DPR with `cause` to an open peer, then close on the DPA or after `waitMs`. */
  disconnect(cause: number, waitMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.isOpen) {
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
    const held = this.heldCer;
    this.heldCer = undefined;
    if (held && electionWaiters.get(held.peer) === this) electionWaiters.delete(held.peer);
    if (peer && peer.owner === this) {
      peer.state = 'Closed';
      if (peer.watchdog !== 'DOWN') peer.watchdog = 'DOWN';
      peer.owner = undefined;
      this.core.log.info('Server', `Diameter peer ${peer.name} (${this.remote}) disconnected: ${reason}`);
      const waiting = electionWaiters.get(peer);
      if (waiting) {
        // Our initiated connection failed before its CEA: the peer's connection is answered after all.
        electionWaiters.delete(peer);
        queueMicrotask(() => waiting.resumeHeldCer());
      }
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
