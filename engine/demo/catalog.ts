/** The whole demo catalog, in the order the issue type picklist shows it, with lookups by name. */
import { HARDWARE, PHONES, PRINTING, SOFTWARE } from './catalog-endpoint';
import { BACKUP, NETWORK, SECURITY } from './catalog-infrastructure';
import { ACCESS, EMAIL, LIFECYCLE } from './catalog-people';
import type { IssueSpec, SubIssueSpec } from './catalog-types';

export const ISSUES: readonly IssueSpec[] = [HARDWARE, SOFTWARE, NETWORK, EMAIL, SECURITY, ACCESS, PRINTING, PHONES, BACKUP, LIFECYCLE];

export interface SubIssueEntry {
  issue: IssueSpec;
  sub: SubIssueSpec;
}

/** Sub-issue type name -> its spec and issue type. Names are unique across issue types: tickets store only the name. */
export const SUB_ISSUES: ReadonlyMap<string, SubIssueEntry> = (() => {
  const map = new Map<string, SubIssueEntry>();
  for (const issue of ISSUES) {
    for (const sub of issue.subs) {
      if (map.has(sub.name)) throw new Error(`demo catalog: sub-issue type "${sub.name}" is defined twice`);
      map.set(sub.name, { issue, sub });
    }
  }
  for (const { sub } of map.values()) {
    if (sub.confusedWith !== undefined && !map.has(sub.confusedWith)) {
      throw new Error(`demo catalog: "${sub.name}" is confused with unknown "${sub.confusedWith}"`);
    }
  }
  return map;
})();
