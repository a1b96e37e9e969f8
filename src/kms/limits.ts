/**
 * Input and resource limits of AWS KMS, as data. Sources: aws-kms-facts.md §3 (AWS KMS API reference, each
 * operation's request parameters; AWS KMS Developer Guide "Resource quotas"). Checked late 2026.
 */
export const LIMITS = {
  /** Encrypt: plaintext bytes with a symmetric key (API reference, Encrypt › Plaintext). */
  symmetricPlaintextMaxBytes: 4096,
  /** CiphertextBlob length bounds (API reference, Decrypt › CiphertextBlob). */
  ciphertextBlobMinBytes: 1,
  ciphertextBlobMaxBytes: 6144,
  /** GenerateDataKey / GenerateRandom NumberOfBytes (API reference). */
  numberOfBytesMin: 1,
  numberOfBytesMax: 1024,
  /** Sign / Verify / GenerateMac message (API reference, Sign › Message; GenerateMac › Message). */
  messageMaxBytes: 4096,
  /** GenerateMac / VerifyMac: the Mac field (API reference, VerifyMac › Mac). */
  macMaxBytes: 6144,
  /** Description (API reference, CreateKey › Description). */
  descriptionMaxChars: 8192,
  /** Alias name length (API reference, CreateAlias › AliasName). */
  aliasNameMaxChars: 256,
  /** Key policy document (API reference, PutKeyPolicy › Policy). */
  policyMaxChars: 32768,
  /** ScheduleKeyDeletion PendingWindowInDays (API reference): 7..30, default 30. */
  pendingWindowMinDays: 7,
  pendingWindowMaxDays: 30,
  pendingWindowDefaultDays: 30,
  /** Automatic rotation period (API reference, EnableKeyRotation › RotationPeriodInDays): 90..2560, default 365. */
  rotationPeriodMinDays: 90,
  rotationPeriodMaxDays: 2560,
  rotationPeriodDefaultDays: 365,
  /** ListKeys / ListAliases / ListResourceTags Limit (API reference): 1..1000, default 100 (tags: 50). */
  listLimitMax: 1000,
  listLimitDefault: 100,
  /** ListAliases returns at most 100 per page, default 50 (API reference, ListAliases › Limit). */
  listAliasesLimitMax: 100,
  listAliasesLimitDefault: 50,
  /** ListResourceTags returns at most 50 per page, default 50 (API reference, ListResourceTags › Limit). */
  listTagsLimitMax: 50,
  listTagsLimitDefault: 50,
  /** Marker of the List* operations: 1..1024 characters (API reference, ListKeys › Marker). */
  markerMaxChars: 1024,
  /** KeyId / TargetKeyId: 1..2048 characters (API reference, DescribeKey › KeyId). */
  keyIdMaxChars: 2048,
  /** PolicyName of Get/PutKeyPolicy: 1..128 characters, and only `default` exists (API reference, GetKeyPolicy). */
  policyNameMaxChars: 128,
  /** Tags per key (Developer Guide, Resource quotas). */
  tagsPerKeyMax: 50,
  tagKeyMaxChars: 128,
  tagValueMaxChars: 256,
  /** Resource quotas: customer managed keys per account and region; aliases per key (Developer Guide, Resource quotas). */
  keysPerRegionMax: 100_000,
  aliasesPerKeyMax: 50,
  /** On-demand rotations per key (Developer Guide, Resource quotas). */
  onDemandRotationsMax: 25,
} as const;

/** Largest RSAES-OAEP plaintext in bytes by key spec and hash (API reference, Encrypt; aws-kms-facts.md §3). */
export const RSA_OAEP_MAX_PLAINTEXT_BYTES: Readonly<Record<string, { RSAES_OAEP_SHA_1: number; RSAES_OAEP_SHA_256: number }>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};
