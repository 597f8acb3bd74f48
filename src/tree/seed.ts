// The factory tree a new data directory starts with (aregcmd.md §8): it serves PAP, CHAP
// and accounting to radclient on localhost out of the box.
import os from 'node:os';
import type { TreeNode } from '../schema/model.js';
import { newNode, propOf } from '../schema/registry.js';
import type { SecretBox } from '../store/secrets.js';
import { addChild, setPair, setProp } from './edit.js';
import { nodeAt } from './tree.js';

export const SEED_ADMIN = { name: 'admin', password: 'aicuser' };

export function seedTree(box: SecretBox, hostname = os.hostname()): TreeNode {
  const root = newNode('Cluster');
  const at = (...path: string[]) => nodeAt(root, path)!;
  const set = (node: TreeNode, prop: string, value: string) => setProp(node, propOf(node, prop)!, value, box);
  const add = (container: TreeNode, name: string, ...positional: string[]) => addChild(container, name, positional, box);

  add(at('Administrators'), SEED_ADMIN.name, 'Seed administrator; change its password', SEED_ADMIN.password);

  const clients = at('Radius', 'Clients');
  add(clients, 'localhost', 'This host over IPv4', '127.0.0.1', 'secret', 'NAS');
  add(clients, 'localhost6', 'This host over IPv6', '::1', 'secret', 'NAS');

  const profiles = at('Radius', 'Profiles');
  const ppp = add(profiles, 'default-PPP-users', 'Framed PPP users');
  const pppAttrs = ppp.$children!.Attributes;
  for (const [a, v] of [['Service-Type', 'Framed-User'], ['Framed-Protocol', 'PPP'], ['Framed-Routing', 'None'], ['Framed-MTU', '1500'], ['Framed-Compression', 'Van-Jacobson-TCP-IP']]) {
    setPair(pppAttrs, a, [v]);
  }
  const telnet = add(profiles, 'default-Telnet-users', 'Telnet login users');
  setPair(telnet.$children!.Attributes, 'Service-Type', ['Login-User']);
  setPair(telnet.$children!.Attributes, 'Login-Service', ['Telnet']);

  const groups = at('Radius', 'UserGroups');
  set(add(groups, 'PPP-users', 'Users of framed PPP'), 'BaseProfile', 'default-PPP-users');
  set(add(groups, 'Telnet-users', 'Users of telnet logins'), 'BaseProfile', 'default-Telnet-users');

  const users = add(at('Radius', 'UserLists'), 'Default', 'Users of the local-users service');
  for (const name of ['bob', 'jane', 'joe']) add(users, name, `Sample user ${name}`, name, 'FALSE', 'PPP-users');

  const services = at('Radius', 'Services');
  set(add(services, 'local-users', 'Users of the Default UserList', 'local'), 'UserList', 'Default');
  add(services, 'local-file', 'Accounting records to files in the log directory', 'file');

  add(at('Radius', 'SessionManagers'), 'session-mgr-1', 'Tracks sessions of accepted users');

  const radius = at('Radius');
  set(radius, 'DefaultAuthenticationService', 'local-users');
  set(radius, 'DefaultAuthorizationService', 'local-users');
  set(radius, 'DefaultAccountingService', 'local-file');
  set(radius, 'DefaultSessionManager', 'session-mgr-1');

  const ports = at('Radius', 'Advanced', 'Ports');
  add(ports, '1812', 'auth');
  add(ports, '1813', 'acct');
  add(ports, '3799', 'dynauth');

  const tm = at('Radius', 'Advanced', 'Diameter', 'TransportManagement');
  const host = hostname.toLowerCase().replace(/[^a-z0-9.-]/g, '-') || 'localhost';
  const realm = host.includes('.') ? host.slice(host.indexOf('.') + 1) : 'localdomain';
  set(tm, 'Identity', host.includes('.') ? host : `${host}.${realm}`);
  set(tm, 'Realm', realm);
  return root;
}
