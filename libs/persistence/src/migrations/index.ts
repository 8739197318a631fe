import { InitialSchema1795830000000 } from './1795830000000-initial-schema';
import { Documents1795840000000 } from './1795840000000-documents';
import { Reminders1795850000000 } from './1795850000000-reminders';

/** Every migration, in order. Committed, never generated at run time. */
export const MIGRATIONS = [InitialSchema1795830000000, Documents1795840000000, Reminders1795850000000];
