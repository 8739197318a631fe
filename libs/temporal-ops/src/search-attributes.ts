import type { SearchAttributeType } from '@temporalio/common';
import type { Connection } from '@temporalio/client';
import {
  caseProvinceSearchAttribute,
  caseReferenceSearchAttribute,
  caseStageSearchAttribute,
} from '../../contracts/src/workflows';

/** The custom search attributes the case workflow sets (config/search-attributes.json holds the same for the dev server). */
export const REQUIRED_SEARCH_ATTRIBUTES = [caseStageSearchAttribute, caseReferenceSearchAttribute, caseProvinceSearchAttribute];

/** temporal.api.enums.v1.IndexedValueType numbers (the client packages do not re-export the enum). */
const INDEXED: Record<SearchAttributeType, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };
/** `Keyword`, `KeywordList`, … as the `temporal` CLI spells the types. */
const CLI_TYPE: Record<string, string> = {
  KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList',
};

/** What both connection kinds (client Connection, worker NativeConnection) offer. */
export interface OperatorConnection {
  operatorService: Pick<Connection['operatorService'], 'listSearchAttributes' | 'addSearchAttributes'>;
}

export interface SearchAttributeCheck {
  missing: string[];
  /** One line an operator can run to register the missing ones. */
  command: string;
}

/** The required search attributes the namespace lacks, and the CLI command that adds them. */
export async function checkSearchAttributes(connection: OperatorConnection, address: string, namespace: string): Promise<SearchAttributeCheck> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const present = new Set(Object.keys(customAttributes ?? {}));
  const missing = REQUIRED_SEARCH_ATTRIBUTES.filter((key) => !present.has(key.name));
  const command =
    `temporal operator search-attribute create --address ${address} --namespace ${namespace} ` +
    missing.map((key) => `--name ${key.name} --type ${CLI_TYPE[key.type as SearchAttributeType]}`).join(' ');
  return { missing: missing.map((key) => key.name), command };
}

/** Registers the missing ones (on a dev server, where the service may); answers the names it added. */
export async function registerSearchAttributes(connection: OperatorConnection, address: string, namespace: string): Promise<string[]> {
  const { missing } = await checkSearchAttributes(connection, address, namespace);
  if (missing.length === 0) return [];
  const searchAttributes = Object.fromEntries(
    REQUIRED_SEARCH_ATTRIBUTES.filter((key) => missing.includes(key.name)).map((key) => [key.name, INDEXED[key.type as SearchAttributeType]]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return missing;
}

/** The one line start-up and `/health/ready` print when the attributes are missing. */
export function missingSearchAttributesMessage(check: SearchAttributeCheck, namespace: string): string {
  return `Temporal namespace '${namespace}' lacks the search attributes ${check.missing.join(', ')}; register them with: ${check.command}`;
}
