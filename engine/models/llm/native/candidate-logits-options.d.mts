export declare const CANDIDATE_LOGITS_CMAKE_OPTIONS: Readonly<Record<string, string>>;
