/**
 * Types the Autotask mock's modules share: entity field definitions (what entityInformation/fields serves and
 * what writes and filters are checked against), rows, and the one error type every handler throws.
 */

/** One picklist value, as Autotask serves it: the id is a string on the wire even for integer fields. */
export interface MockPicklistValue {
  value: string;
  label: string;
  isDefaultValue: boolean;
  sortOrder: number;
  /** The parent field's value for dependent picklists (subIssueType → issueType), else ''. */
  parentValue: string;
  isActive: boolean;
  isSystem: boolean;
}

export type MockDataType = 'integer' | 'long' | 'string' | 'boolean' | 'datetime' | 'double';

export interface MockFieldDef {
  /** camelCase, as emitted on the wire. */
  name: string;
  dataType: MockDataType;
  length?: number;
  isRequired?: boolean;
  isReadOnly?: boolean;
  /** Reference to another entity (e.g. billingCodeID → BillingCode); checked only where the mock has the entity. */
  referenceEntityType?: string;
  picklist?: MockPicklistValue[];
  /** For dependent picklists: the parent field's name. */
  picklistParentValueField?: string;
}

export interface MockUdfDef {
  name: string;
  label: string;
  type: 'string' | 'number';
}

export interface MockUdfValue {
  name: string;
  value: string | null;
}

/** A stored record: wire field names to wire values (ints, strings, ISO dates, booleans, null). */
export type MockRow = { id: number; userDefinedFields?: MockUdfValue[] } & Record<string, unknown>;

/** An API error: the mock always answers it as `{"errors":[message]}` with this status. */
export class MockApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MockApiError';
  }
}

/** Header names the mock reads, lowercased (Node lowercases incoming header names for us). */
export const HEADER = {
  integrationCode: 'apiintegrationcode',
  userName: 'username',
  secret: 'secret',
  impersonation: 'impersonationresourceid',
} as const;
