// /Radius/Replication: configuration replication of the original; stored only.
import type { ClassDef } from '../model.js';
import { boolType, encryptedSecretType, enumType, intType, ipType, msType, portType } from '../types.js';
import { collectionOf, prop } from './common.js';

const stored = { storedOnly: true };

export const replicationClasses: ClassDef[] = [
  {
    name: 'Replication',
    help: 'Configuration replication between servers; stored only, areg does not replicate.',
    props: [
      prop('ReplicationType', enumType(['NONE', 'SMDS']), 'NONE disables replication; SMDS replicates to the Members.', { default: 'NONE', ...stored }),
      prop('TransactionSyncInterval', msType, 'Interval at which the master sends transactions to the members.', stored),
      prop('TransactionArchiveLimit', intType(0), 'Transactions kept for resynchronising members.', stored),
      prop('IPAddress', ipType, 'Address this server replicates on.', stored),
      prop('Port', portType, 'Port this server replicates on.', stored),
      prop('SecretKey', encryptedSecretType, 'Key shared by the master and its members.', stored),
      prop('IsMaster', boolType, 'This server is the replication master.', stored),
      prop('MasterIPAddress', ipType, 'Address of the master.', stored),
    ],
    fixed: [{ name: 'Members', cls: 'ReplicationMembers' }],
  },
  collectionOf('ReplicationMembers', 'ReplicationMember', 'Servers the master replicates to; stored only.'),
  {
    name: 'ReplicationMember',
    help: 'A member the master replicates to; stored only.',
    props: [
      prop('IPAddress', ipType, 'Address of the member.', stored),
      prop('Port', portType, 'Port the master sends replication messages to.', stored),
    ],
  },
];
