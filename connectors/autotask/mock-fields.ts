/**
 * Field definitions of the entities the Autotask mock serves (a triage-relevant subset of the Swagger models,
 * facts A8/A9/A12), and the system picklists every tenant has. Tenant-specific picklists (issue types,
 * sub-issue types, queues) are filled in by mock-tenant.ts.
 */
import type { MockFieldDef, MockPicklistValue, MockUdfDef } from './mock-types';

export function pick(value: number, label: string, extra: Partial<MockPicklistValue> = {}): MockPicklistValue {
  return {
    value: String(value),
    label,
    isDefaultValue: false,
    sortOrder: 0,
    parentValue: '',
    isActive: true,
    isSystem: false,
    ...extra,
  };
}

/** Autotask's out-of-the-box ticket statuses (tenants add their own); Complete is the system value 5. */
export const STATUS_NEW = 1;
export const STATUS_COMPLETE = 5;
export const STATUS_WAITING_CUSTOMER = 7;
export const STATUS_IN_PROGRESS = 8;

export function statusPicklist(): MockPicklistValue[] {
  return [
    pick(STATUS_NEW, 'New', { isDefaultValue: true, isSystem: true, sortOrder: 1 }),
    pick(STATUS_IN_PROGRESS, 'In Progress', { sortOrder: 2 }),
    pick(STATUS_WAITING_CUSTOMER, 'Waiting Customer', { isSystem: true, sortOrder: 3 }),
    pick(9, 'Waiting Materials', { sortOrder: 4 }),
    pick(12, 'Waiting Vendor', { sortOrder: 5 }),
    pick(STATUS_COMPLETE, 'Complete', { isSystem: true, sortOrder: 6 }),
  ];
}

export function sourcePicklist(): MockPicklistValue[] {
  return [
    pick(-2, 'Insourced', { isSystem: true, sortOrder: 1 }),
    pick(2, 'Phone', { sortOrder: 2 }),
    pick(4, 'Email', { isDefaultValue: true, sortOrder: 3 }),
    pick(6, 'Client Portal', { isSystem: true, sortOrder: 4 }),
    pick(8, 'Monitoring Alert', { sortOrder: 5 }),
  ];
}

export function ticketCategoryPicklist(): MockPicklistValue[] {
  return [pick(3, 'Standard', { isDefaultValue: true, sortOrder: 1 }), pick(2, 'AEM Alert', { isSystem: true, sortOrder: 2 })];
}

const int = (name: string, extra: Partial<MockFieldDef> = {}): MockFieldDef => ({ name, dataType: 'integer', ...extra });
const str = (name: string, length: number, extra: Partial<MockFieldDef> = {}): MockFieldDef => ({ name, dataType: 'string', length, ...extra });
const date = (name: string, extra: Partial<MockFieldDef> = {}): MockFieldDef => ({ name, dataType: 'datetime', ...extra });
const bool = (name: string, extra: Partial<MockFieldDef> = {}): MockFieldDef => ({ name, dataType: 'boolean', ...extra });

/** Ticket fields; picklists start empty where the tenant supplies them. */
export function ticketFields(): MockFieldDef[] {
  return [
    { name: 'id', dataType: 'long', isReadOnly: true },
    str('ticketNumber', 50, { isReadOnly: true }),
    str('title', 255, { isRequired: true }),
    str('description', 8000),
    int('companyID', { isRequired: true, referenceEntityType: 'Company' }),
    int('contactID', { referenceEntityType: 'Contact' }),
    int('assignedResourceID', { referenceEntityType: 'Resource' }),
    int('queueID', { picklist: [] }),
    int('status', { isRequired: true, picklist: statusPicklist() }),
    int('priority', { isRequired: true, picklist: [] }),
    int('ticketType', { picklist: [] }),
    int('issueType', { picklist: [] }),
    int('subIssueType', { picklist: [], picklistParentValueField: 'issueType' }),
    int('ticketCategory', { picklist: ticketCategoryPicklist() }),
    int('source', { picklist: sourcePicklist() }),
    int('billingCodeID', { referenceEntityType: 'BillingCode' }),
    date('createDate', { isReadOnly: true }),
    date('lastActivityDate', { isReadOnly: true }),
    date('completedDate', { isReadOnly: true }),
    date('dueDateTime'),
    { name: 'estimatedHours', dataType: 'double' },
    bool('serviceLevelAgreementHasBeenMet', { isReadOnly: true }),
  ];
}

export function ticketUdfs(): MockUdfDef[] {
  return [
    { name: 'Triage Confidence', label: 'Triage Confidence', type: 'string' },
    { name: 'Site Count', label: 'Site Count', type: 'number' },
  ];
}

/** Note types and publish values are tenant picklists (facts A9); these mirror common defaults. */
export function ticketNoteFields(): MockFieldDef[] {
  return [
    { name: 'id', dataType: 'long', isReadOnly: true },
    { name: 'ticketID', dataType: 'long', isRequired: true },
    str('title', 250, { isRequired: true }),
    str('description', 32000, { isRequired: true }),
    int('noteType', {
      isRequired: true,
      picklist: [
        pick(1, 'Task Summary', { isSystem: true, sortOrder: 1 }),
        pick(2, 'Task Detail', { isDefaultValue: true, isSystem: true, sortOrder: 2 }),
        pick(3, 'Task Notes', { sortOrder: 3 }),
      ],
    }),
    int('publish', {
      isRequired: true,
      picklist: [
        pick(1, 'All Autotask Users', { isDefaultValue: true, isSystem: true, sortOrder: 1 }),
        pick(2, 'Internal Only', { isSystem: true, sortOrder: 2 }),
      ],
    }),
    int('creatorResourceID', { isReadOnly: true, referenceEntityType: 'Resource' }),
    int('impersonatorCreatorResourceID', { isReadOnly: true, referenceEntityType: 'Resource' }),
    date('createDateTime', { isReadOnly: true }),
    date('lastActivityDate', { isReadOnly: true }),
  ];
}

export function billingCodeFields(): MockFieldDef[] {
  return [
    { name: 'id', dataType: 'long', isReadOnly: true },
    str('name', 200, { isRequired: true }),
    str('description', 500),
    bool('isActive'),
    // ⚠️ useType values are not documented in our sources; 1 stands for a labour work type here.
    int('useType', { picklist: [pick(1, 'Work Type', { isSystem: true }), pick(2, 'Material', { isSystem: true })] }),
    str('externalNumber', 50),
  ];
}

export function webhookFields(): MockFieldDef[] {
  return [
    { name: 'id', dataType: 'long', isReadOnly: true },
    str('name', 50, { isRequired: true }),
    str('webhookUrl', 500, { isRequired: true }),
    str('deactivationUrl', 500, { isRequired: true }),
    str('secretKey', 64, { isRequired: true }),
    str('notificationEmailAddress', 150),
    str('webhookGUID', 100, { isReadOnly: true }),
    int('ownerResourceID', { isReadOnly: true }),
    bool('isActive'),
    bool('isReady', { isReadOnly: true }),
    bool('isSubscribedToCreateEvents'),
    bool('isSubscribedToUpdateEvents'),
    bool('isSubscribedToDeleteEvents'),
    bool('sendThresholdExceededNotification'),
  ];
}

export function webhookFieldFields(): MockFieldDef[] {
  return [
    { name: 'id', dataType: 'long', isReadOnly: true },
    { name: 'webhookID', dataType: 'long', isRequired: true },
    int('fieldID', { isRequired: true }),
    bool('isSubscribedField'),
    bool('isDisplayAlwaysField'),
  ];
}
