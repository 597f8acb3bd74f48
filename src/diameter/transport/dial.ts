// Transport for Diameter peers (RFC 6733 §2.1, §13): outgoing connections (TCP, or TLS from the first byte
// when a RemoteServer's TransportProtocol is tls) and the TLS options of the TLS listener.
// PeerVerificationMode maps onto Node's TLS options:
//   None               — no peer certificate asked for (listener) / the server's certificate is not checked;
//   Optional           — listener asks for a client certificate but accepts a connection without one or with
//                        one that does not verify; initiator connects whatever the server presents (a failed
//                        verification is logged);
//   RequireCertificate — the peer must present a certificate that verifies against CACertificateFile /
//                        CACertificatePath (requestCert + rejectUnauthorized; the initiator also checks that
//                        the server's certificate names the RemoteServer's HostName).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { Log } from '../../log/logger.js';
import type { Dial, Dialed } from '../peer/initiator.js';
import type { DiameterRemoteServer, DiameterTls } from '../peer/settings.js';

/** CA certificates of CACertificateFile and every *.pem / *.crt of CACertificatePath; undefined = Node's defaults. */
function caOf(t: DiameterTls): string[] | undefined {
  const ca: string[] = [];
  if (t.caFile) ca.push(fs.readFileSync(t.caFile, 'utf8'));
  if (t.caPath) {
    for (const f of fs.readdirSync(t.caPath).sort()) {
      if (/\.(pem|crt)$/i.test(f)) ca.push(fs.readFileSync(path.join(t.caPath, f), 'utf8'));
    }
  }
  return ca.length ? ca : undefined;
}

/** Certificate, key and CAs of `t` as Node's secure-context options (files read now). */
function material(t: DiameterTls): tls.SecureContextOptions {
  const o: tls.SecureContextOptions = {};
  if (t.certFile) o.cert = fs.readFileSync(t.certFile);
  if (t.keyFile) o.key = fs.readFileSync(t.keyFile);
  if (t.passphrase) o.passphrase = t.passphrase;
  const ca = caOf(t);
  if (ca) o.ca = ca;
  return o;
}

/** Options of the TLS listener (TLSListenPort). */
export function tlsServerOptions(t: DiameterTls): tls.TlsOptions {
  if (!t.certFile || !t.keyFile) throw new Error('the TLS listener needs ServerCertificateFile and ServerKeyFile');
  return {
    ...material(t),
    requestCert: t.verify !== 'None',
    rejectUnauthorized: t.verify === 'RequireCertificate',
  };
}

/** Options of an outgoing TLS connection to `server`. */
export function tlsClientOptions(server: DiameterRemoteServer & { tls: DiameterTls }): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {
    ...material(server.tls),
    host: server.address,
    port: server.port,
    rejectUnauthorized: server.tls.verify === 'RequireCertificate',
  };
  if (net.isIP(server.hostName) === 0) options.servername = server.hostName;
  else options.checkServerIdentity = (_host, cert) => tls.checkServerIdentity(server.hostName, cert);
  return options;
}

/** The engine's Dial: TCP (Nagle off) or TLS; `ready` after connect / the TLS handshake, bounded by `timeoutMs`. */
export function dialerFor(log: Log): Dial {
  return (server, timeoutMs): Dialed => {
    let socket: net.Socket;
    let event: string;
    if (server.tls) {
      socket = tls.connect(tlsClientOptions({ ...server, tls: server.tls }));
      event = 'secureConnect';
    } else {
      socket = net.connect({ host: server.address, port: server.port, noDelay: true });
      event = 'connect';
    }
    const ready = new Promise<{ remote: string; local: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        const e = new Error(`no connection within ${timeoutMs} ms`);
        reject(e);
        socket.destroy();
      }, timeoutMs);
      timer.unref?.();
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once(event, () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        if (socket instanceof tls.TLSSocket && !socket.authorized && server.tls?.verify === 'Optional') {
          log.warning('Server', `RemoteServer ${server.name}: the TLS certificate of ${server.hostName} does not verify (${String(socket.authorizationError)}); connecting anyway (PeerVerificationMode Optional)`);
        }
        resolve({ remote: socket.remoteAddress ?? server.address, local: socket.localAddress ?? '' });
      });
    });
    return { socket, ready };
  };
}
