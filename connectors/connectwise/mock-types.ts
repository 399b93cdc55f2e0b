/** The ConnectWise entities as the mock stores them (the JSON shapes of facts B5-B7 and B10). */

export interface MockRef {
  id: number;
  name: string;
}

export interface MockInfo {
  lastUpdated: string;
  updatedBy: string;
  dateEntered?: string;
  enteredBy?: string;
}

export interface MockTicket {
  id: number;
  summary: string;
  recordType: 'ServiceTicket';
  board: MockRef;
  status: MockRef & { sort: number };
  company: MockRef & { identifier: string };
  type?: MockRef;
  subType?: MockRef;
  item?: MockRef;
  priority?: MockRef & { sort: number; level: string };
  severity: string;
  impact: string;
  closedFlag: boolean;
  closedDate?: string;
  closedBy?: string;
  _info: MockInfo;
  [extra: string]: unknown;
}

export interface MockNote {
  id: number;
  ticketId: number;
  text: string;
  detailDescriptionFlag: boolean;
  internalAnalysisFlag: boolean;
  resolutionFlag: boolean;
  issueFlag: boolean;
  internalFlag: boolean;
  externalFlag: boolean;
  customerUpdatedFlag: boolean;
  member?: { id: number; identifier: string; name: string };
  _info: MockInfo;
}

export interface MockBoard {
  id: number;
  name: string;
  inactiveFlag: boolean;
  location: MockRef;
  department: MockRef;
  _info: MockInfo;
}

/** Types, subtypes and items share this shape; subtypes also list the types they are valid for. */
export interface MockBoardChild {
  id: number;
  name: string;
  inactiveFlag: boolean;
  board: MockRef;
  _info: MockInfo;
}

export interface MockAssociation {
  id: number;
  board: MockRef;
  type: MockRef;
  subType: MockRef | null;
  item: MockRef | null;
}

export interface MockPriority {
  id: number;
  name: string;
  color: string;
  sortOrder: number;
  defaultFlag: boolean;
  level: string;
  _info: MockInfo;
}

export interface MockCallback {
  id: number;
  url: string;
  objectId: number;
  type: string;
  level: string;
  description?: string;
  inactiveFlag: boolean;
  _info: MockInfo;
  [extra: string]: unknown;
}

export type ChildKind = 'type' | 'subtype' | 'item';
export type RefKind = 'board' | ChildKind | 'priority';

/** What a route handler answers; the server serializes it (or breaks it, for a fault). */
export interface MockResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A ConnectWise error answer: always `{code, message, errors?}` (facts B8). */
export function cwError(
  status: number,
  code: string,
  message: string,
  errors?: { code: string; message: string; resource?: string; field?: string }[],
): MockResponse {
  return { status, body: errors ? { code, message, errors } : { code, message } };
}
