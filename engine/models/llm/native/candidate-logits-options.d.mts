export declare const CANDIDATE_LOGITS_CMAKE_OPTIONS: Readonly<Record<string, string>>;
export declare const KV_UNIFIED_ENV: 'TICKET_TRIAGE_KV_UNIFIED';
