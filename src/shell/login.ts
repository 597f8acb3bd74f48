// Administrator login against //localhost/Administrators.
import { verifyPassword } from '../store/secrets.js';
import { childExact, CLUSTER } from '../tree/tree.js';
import type { Admin, ShellSession } from './session.js';

export function checkLogin(sh: ShellSession, cluster: string, user: string, password: string): Admin | undefined {
  if (cluster.toLowerCase() !== CLUSTER) return undefined;
  const admins = sh.root.$children?.Administrators;
  const name = admins ? childExact(admins, user) : undefined;
  if (!name) {
    verifyPassword(password, '$scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='); // same cost for unknown names
    return undefined;
  }
  const record = admins!.$children![name];
  if (!verifyPassword(password, String(record.Password ?? ''))) return undefined;
  return { name, readOnly: record.ReadOnly === true };
}
