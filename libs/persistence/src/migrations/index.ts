import { InitialSchema1795830000000 } from './1795830000000-initial-schema';
import { Documents1795840000000 } from './1795840000000-documents';
import { ExactlyOnce1795851000000 } from './1795851000000-exactly-once';
import { ProjectionLag1795860000000 } from './1795860000000-projection-lag';

/** Every migration, in order. Committed, never generated at run time. */
export const MIGRATIONS = [InitialSchema1795830000000, Documents1795840000000, ExactlyOnce1795851000000, ProjectionLag1795860000000];
