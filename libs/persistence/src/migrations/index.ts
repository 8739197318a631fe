import { InitialSchema1795830000000 } from './1795830000000-initial-schema';
import { Documents1795840000000 } from './1795840000000-documents';
import { ExactlyOnce1795851000000 } from './1795851000000-exactly-once';
import { OrderClaims1795852000000 } from './1795852000000-order-claims';
import { CaseOwner1795859000000 } from './1795859000000-case-owner';
import { Reminders1795860000000 } from './1795860000000-reminders';
import { ProjectionLag1795870000000 } from './1795870000000-projection-lag';

/** Every migration, in order. Committed, never generated at run time. */
export const MIGRATIONS = [
  InitialSchema1795830000000,
  Documents1795840000000,
  ExactlyOnce1795851000000,
  OrderClaims1795852000000,
  CaseOwner1795859000000,
  Reminders1795860000000,
  ProjectionLag1795870000000,
];
