// The protocol-independent request pipeline (aregcmd.md §9.1–§9.3): after the protocol module has found
// the client and verified the packet, a request runs through the named steps below, in order. The scripting
// points of §9.2 are laid out as steps of their own; scripts are not executed yet, so a configured script is
// reported in the trace (level 3) and skipped.
import type { ConfigObject } from '../../config/object.js';
import type { AdvancedConfig } from '../../config/view.js';
import type { CounterBlock, CounterRegistry } from '../../counters/registry.js';
import { authenticateLocal, authorizeLocal, formatDetailRecord, mergeAttributeSets, SERVICE_COUNTERS, SERVICES_SECTION, type FileAccountingService } from '../../services/index.js';
import { eapFailure, type EapMethod, type EapServer } from '../../services/eap/index.js';
import type { AaaRequest, AaaResult, ReplyPair } from './request.js';

export * from './request.js';

export type ServiceCounters = CounterBlock<(typeof SERVICE_COUNTERS)[number]>;

/** What the pipeline needs from the engine for one request: the configuration it started with. */
export interface PipelineContext {
  radius: ConfigObject;
  advanced: Pick<AdvancedConfig, 'defaultReplyMessage' | 'logDirectory' | 'fileSyncIntervalMs'>;
  counters: CounterRegistry;
  /** The running `file` service of this name, configured from `service`. */
  fileService(service: ConfigObject): FileAccountingService;
  /** The engine's EAP server (conversations survive between requests); without it EAP is rejected. */
  eap?: EapServer;
}

/** The scripting points in the order a request meets them (aregcmd.md §9.2). */
export const INCOMING_POINTS = [
  { n: 1, what: 'server', prop: 'IncomingScript' },
  { n: 2, what: 'vendor', prop: 'IncomingScript' },
  { n: 3, what: 'client', prop: 'IncomingScript' },
] as const;
export const OUTGOING_POINTS = [
  { n: 15, what: 'client', prop: 'OutgoingScript' },
  { n: 16, what: 'vendor', prop: 'OutgoingScript' },
  { n: 17, what: 'server', prop: 'OutgoingScript' },
] as const;

interface State {
  req: AaaRequest;
  ctx: PipelineContext;
  result: AaaResult | undefined;
  reply: ReplyPair[];
  /** Reply attributes the authentication method brings (MS-CHAP2-Success, MPPE keys). */
  authReply: ReplyPair[];
  /** EAP-Success to send with the Access-Accept once authorization agrees. */
  eapSuccess?: Buffer;
  /** The Master Session Key of the EAP method that succeeded, if it derives one. */
  eapMsk?: Buffer;
  /** The name the user was found under (User-Name, Digest-User-Name or the bare user of user@realm). */
  userRecordName?: string;
  /** The Service-Type of a SIP check-only request (protocols.md §2.4), when this is one. */
  checkOnly?: string;
  authService?: ConfigObject;
  authzService?: ConfigObject;
  acctService?: ConfigObject;
}

type Step = { name: string; run(s: State): void | Promise<void> };

function scriptObject(s: State, what: 'server' | 'vendor' | 'client' | 'service'): { label: string; obj: ConfigObject } | undefined {
  const { radius } = s.ctx;
  switch (what) {
    case 'server':
      return { label: 'Radius', obj: radius };
    case 'client':
      return { label: `Client ${s.req.client.name}`, obj: s.req.client.config };
    case 'vendor': {
      const v = s.req.client.config.str('Vendor');
      const obj = v ? radius.at('Vendors', v) : undefined;
      return obj ? { label: `Vendor ${v}`, obj } : undefined;
    }
    case 'service': {
      const obj = s.authService ?? s.acctService;
      return obj ? { label: `Service ${obj.name}`, obj } : undefined;
    }
  }
}

function scriptPoint(what: 'server' | 'vendor' | 'client' | 'service', prop: 'IncomingScript' | 'OutgoingScript'): Step['run'] {
  return (s) => {
    const o = scriptObject(s, what);
    const script = o?.obj.str(prop);
    if (o && script && s.req.trace.on(3)) s.req.trace.line(`Skipping ${o.label} ${prop} ${script} (scripts are not executed yet)`);
  };
}

function reject(s: State, reason: string, reply: ReplyPair[] = []): void {
  s.result = { outcome: 'reject', reply, reason };
  // RFC 3579 §2.6.3: an Access-Reject to an EAP request carries EAP-Failure.
  if (s.req.eap) s.result.eap = { message: eapFailure(s.req.eap.message) };
  s.req.env.set('Reject-Reason', reason);
  if (s.req.trace.on(2)) s.req.trace.line(`Rejecting request: ${reason}`);
}

function drop(s: State, reason: string): void {
  s.result = { outcome: 'drop', reply: [], reason };
  if (s.req.trace.on(2)) s.req.trace.line(`Dropping request: ${reason}`);
}

function serviceCounters(s: State, svc: ConfigObject): ServiceCounters {
  return s.ctx.counters.block(SERVICES_SECTION, svc.name, SERVICE_COUNTERS);
}

const selectServices: Step = {
  name: 'select-service',
  run(s) {
    const { req, ctx } = s;
    const pick = (envName: string, def: string): ConfigObject | undefined => {
      const name = req.env.get(envName) || ctx.radius.str(def);
      return name ? ctx.radius.at('Services', name) : undefined;
    };
    if (req.kind === 'accounting') {
      s.acctService = pick('Accounting-Service', 'DefaultAccountingService');
      if (!s.acctService) drop(s, 'no accounting service');
      return;
    }
    s.authService = pick('Authentication-Service', 'DefaultAuthenticationService');
    s.authzService = pick('Authorization-Service', 'DefaultAuthorizationService') ?? s.authService;
    if (!s.authService) reject(s, 'no authentication service');
  },
};

/** Service-Types of Kamailio's password-less check requests (misc_radius; protocols.md §2.4), lower case. */
const CHECK_ONLY_SERVICE_TYPES: ReadonlySet<string> = new Set(['call-check', 'group-check', 'sip-caller-avps', 'sip-callee-avps']);

/**
 * Other names the user may be stored under: Digest-User-Name; for a SIP URI (`sip:user@host;params`, as
 * Kamailio's misc_radius sends "$fu") user@host; the user of user@realm; the user of DOMAIN\user.
 */
function alternateNames(req: AaaRequest, userName: string): string[] {
  const names: string[] = [];
  if (req.credentials.kind === 'digest' && req.credentials.digest.username) names.push(req.credentials.digest.username);
  const uri = /^sips?:([^;?>]+)/i.exec(userName);
  const bare = uri ? uri[1]! : userName;
  if (bare !== userName) names.push(bare);
  const at = bare.indexOf('@');
  if (at > 0) names.push(bare.slice(0, at));
  const backslash = bare.lastIndexOf('\\');
  if (backslash >= 0 && backslash < bare.length - 1) names.push(bare.slice(backslash + 1));
  return names.filter((n) => n !== userName);
}

const authenticate: Step = {
  name: 'authenticate',
  run(s) {
    const { req, ctx } = s;
    const svc = s.authService!;
    const same = s.authzService === svc;
    if (req.trace.on(2)) req.trace.line(`${same ? 'Authenticating and Authorizing' : 'Authenticating'} with Service ${svc.name}`);
    const c = serviceCounters(s, svc);
    c.requests++;
    if (req.eap) return authenticateEap(s, svc, c);
    if (svc.str('Type') !== 'local') {
      c.errors++;
      return reject(s, `Service ${svc.name} of type ${svc.str('Type')} cannot authenticate yet`);
    }
    const userName = req.env.get('User-Name') || req.userName;
    if (!userName) {
      c.rejects++;
      return reject(s, 'no User-Name');
    }
    if (req.credentials.kind === 'none') {
      const serviceType = req.attributes.values('Service-Type')[0] ?? '';
      if (CHECK_ONLY_SERVICE_TYPES.has(serviceType.toLowerCase())) {
        if (!req.client.config.bool('AllowCheckOnlyRequests')) {
          c.rejects++;
          return reject(s, `Service-Type ${serviceType} without credentials from Client ${req.client.name}, which has AllowCheckOnlyRequests FALSE`);
        }
        s.checkOnly = serviceType;
      }
    }
    const allowNull = req.env.get('Allow-Null-Password');
    const d = authenticateLocal(ctx.radius, svc, {
      userName,
      alternateNames: alternateNames(req, userName),
      checkOnly: s.checkOnly !== undefined,
      credentials: req.credentials,
      attributes: req.attributes,
      allowNullOverride: allowNull === undefined ? undefined : /^true$/i.test(allowNull),
      trace: req.trace,
    });
    if (!d.ok) {
      c.rejects++;
      return reject(s, d.reason, d.reply ?? []);
    }
    if (s.checkOnly?.toLowerCase() === 'group-check') {
      const group = d.record.group?.name ?? d.record.user.str('Group');
      const wanted = req.attributes.values('Sip-Group');
      if (!group || !wanted.some((g) => g.toLowerCase() === group.toLowerCase())) {
        c.rejects++;
        return reject(s, `User ${d.record.name} is not in UserGroup ${wanted.join(', ') || '(no Sip-Group)'}`);
      }
    }
    s.userRecordName = d.record.name;
    s.authReply = d.reply;
    if (d.record.group) req.env.set('User-Group', d.record.group.name);
    const ud = d.record.user.str('UserDefined1');
    if (ud) req.env.set('UserDefined1', ud);
    c.accepts++;
  },
};

/** The `local` service holding the users of `svc`: itself, or an `eap-md5` service's UserService. */
function userServiceOf(radius: ConfigObject, svc: ConfigObject): ConfigObject | undefined {
  const type = svc.str('Type');
  if (type === 'local') return svc;
  if (type !== 'eap-md5') return undefined;
  const users = radius.at('Services', svc.str('UserService'));
  return users?.str('Type') === 'local' ? users : undefined;
}

/** EAP methods by service type: `eap-md5` ⇒ MD5-Challenge; `local` offers MSCHAPv2 and gives MD5 on a Nak. */
function eapMethods(svc: ConfigObject): EapMethod[] {
  const type = svc.str('Type');
  return type === 'eap-md5' ? ['md5'] : type === 'local' ? ['mschapv2', 'md5'] : [];
}

/** One EAP round (RFC 3579): challenge ⇒ Access-Challenge; success ⇒ on to authorization; failure ⇒ reject. */
function authenticateEap(s: State, svc: ConfigObject, c: ServiceCounters): void {
  const { req, ctx } = s;
  const users = userServiceOf(ctx.radius, svc);
  const methods = eapMethods(svc);
  if (!ctx.eap || !users || !methods.length) {
    c.errors++;
    return reject(s, `Service ${svc.name} of type ${svc.str('Type')} cannot do EAP`);
  }
  const out = ctx.eap.step({
    message: req.eap!.message,
    state: req.eap!.state,
    peer: req.client.name,
    methods,
    verify: (userName, credentials) => {
      const d = authenticateLocal(ctx.radius, users, { userName, alternateNames: alternateNames(req, userName), credentials, attributes: req.attributes, trace: req.trace });
      return d.ok ? { ok: true, reply: d.reply, recordName: d.record.name } : { ok: false, reason: d.reason, reply: d.reply ?? [] };
    },
  });
  if (out.kind === 'challenge') {
    if (out.failed && req.trace.on(2)) req.trace.line(`EAP: ${out.failed}`);
    if (req.trace.on(2)) req.trace.line(`EAP-Request (${out.method}) sent in an Access-Challenge`);
    s.result = { outcome: 'challenge', reply: [], eap: { message: out.message, state: out.state } };
    return;
  }
  if (out.kind === 'failure') {
    c.rejects++;
    reject(s, `EAP: ${out.reason}`, out.reply);
    s.result!.eap = { message: out.message };
    return;
  }
  if (req.trace.on(2)) req.trace.line(`EAP-${out.method === 'md5' ? 'MD5' : 'MSCHAPv2'} succeeded for ${out.identity}`);
  s.userRecordName = out.recordName ?? out.identity;
  s.authReply = out.reply;
  s.eapSuccess = out.message;
  s.eapMsk = out.msk;
  c.accepts++;
}

const authorize: Step = {
  name: 'authorize',
  run(s) {
    const { req, ctx } = s;
    const svc = s.authzService!;
    if (svc !== s.authService && req.trace.on(2)) req.trace.line(`Authorizing with Service ${svc.name}`);
    const users = userServiceOf(ctx.radius, svc);
    if (!users) return reject(s, `Service ${svc.name} of type ${svc.str('Type')} cannot authorize yet`);
    const userName = ((svc === s.authService || s.eapSuccess) && s.userRecordName) || req.env.get('User-Name') || req.userName || '';
    const d = authorizeLocal(ctx.radius, users, userName, req.trace);
    if (!d.ok) return reject(s, d.reason);
    const check = s.checkOnly?.toLowerCase();
    // Group-Check answers membership only; the AVP loads and Call-Check answer the SIP-AVPs (protocols.md §2.4).
    if (check === 'group-check') s.reply = [];
    else if (check !== undefined) s.reply = d.reply.filter(([n]) => n.toLowerCase() === 'sip-avp');
    else s.reply = s.authReply.length ? mergeAttributeSets([d.reply, s.authReply]) : d.reply;
    s.result = { outcome: 'accept', reply: s.reply };
    if (s.eapSuccess) s.result.eap = { message: s.eapSuccess, ...(s.eapMsk ? { msk: s.eapMsk } : {}) };
  },
};

const account: Step = {
  name: 'account',
  async run(s) {
    const { req, ctx } = s;
    const svc = s.acctService!;
    if (req.trace.on(2)) req.trace.line(`Accounting with Service ${svc.name}`);
    const c = serviceCounters(s, svc);
    c.accountingRequests++;
    if (svc.str('Type') !== 'file') {
      c.errors++;
      return drop(s, `Service ${svc.name} of type ${svc.str('Type')} cannot do accounting yet`);
    }
    const record = formatDetailRecord(new Date(req.receivedAt), req.attributes.lines(), req.source.address, svc.bool('UseLocalTimeZone'));
    try {
      await ctx.fileService(svc).write(record);
    } catch (e) {
      c.errors++;
      return drop(s, `accounting record not written: ${e instanceof Error ? e.message : String(e)}`);
    }
    c.accountingResponses++;
    s.result = { outcome: 'ack', reply: [] };
  },
};

const rejectReplyMessage: Step = {
  name: 'reply-message',
  run(s) {
    const r = s.result;
    if (r?.outcome !== 'reject') return;
    const text = s.ctx.advanced.defaultReplyMessage;
    if (text && !r.reply.some(([n]) => n.toLowerCase() === 'reply-message')) r.reply.push(['Reply-Message', text]);
  },
};

const noop = (): void => {};

/** The steps, by name, in order. Steps after a decision (result set) that belong to the decision path are
 * skipped; outgoing points always run. */
export const ACCESS_STEPS: readonly (Step & { decision?: boolean })[] = [
  ...INCOMING_POINTS.map((p) => ({ name: `${p.what}-incoming-script`, decision: true, run: scriptPoint(p.what, p.prop) })),
  { name: 'nas-behind-proxy', decision: true, run: noop },
  { name: 'select-policy', decision: true, run: noop },
  { ...selectServices, decision: true },
  { name: 'service-incoming-script', decision: true, run: scriptPoint('service', 'IncomingScript') },
  { ...authenticate, decision: true },
  { ...authorize, decision: true },
  { name: 'session-management', decision: true, run: noop },
  { name: 'service-outgoing-script', run: scriptPoint('service', 'OutgoingScript') },
  ...OUTGOING_POINTS.map((p) => ({ name: `${p.what}-outgoing-script`, run: scriptPoint(p.what, p.prop) })),
  rejectReplyMessage,
];

export const ACCOUNTING_STEPS: readonly (Step & { decision?: boolean })[] = [
  ...INCOMING_POINTS.map((p) => ({ name: `${p.what}-incoming-script`, decision: true, run: scriptPoint(p.what, p.prop) })),
  { name: 'select-policy', decision: true, run: noop },
  { ...selectServices, decision: true },
  { name: 'service-incoming-script', decision: true, run: scriptPoint('service', 'IncomingScript') },
  { name: 'session-management', decision: true, run: noop },
  { ...account, decision: true },
  { name: 'service-outgoing-script', run: scriptPoint('service', 'OutgoingScript') },
  ...OUTGOING_POINTS.map((p) => ({ name: `${p.what}-outgoing-script`, run: scriptPoint(p.what, p.prop) })),
];

/** Runs one request through its steps; never throws (an internal error becomes a drop). */
export async function runPipeline(req: AaaRequest, ctx: PipelineContext): Promise<AaaResult> {
  const s: State = { req, ctx, result: undefined, reply: [], authReply: [] };
  const steps = req.kind === 'accounting' ? ACCOUNTING_STEPS : ACCESS_STEPS;
  try {
    for (const step of steps) {
      if (step.decision && s.result) continue;
      const r = step.run(s);
      if (r) await r;
    }
  } catch (e) {
    return { outcome: 'drop', reply: [], reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
  return s.result ?? { outcome: 'drop', reply: [], reason: 'no decision' };
}
