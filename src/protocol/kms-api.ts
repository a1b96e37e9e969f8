// Generated from @aws-sdk/client-kms 3.1164.0 by test/fixtures/protocol-derive-shapes.ts. Do not edit by hand:
// regenerate with `npx tsx test/fixtures/protocol-derive-shapes.ts > src/protocol/kms-api.ts`.
// Source: the Smithy schema the SDK ships (`*$` exports of @aws-sdk/client-kms), i.e. the KMS API model.
import { list, map, struct, UNIT, type OperationShapes } from './shapes.js';

const CancelKeyDeletionRequest = struct('CancelKeyDeletionRequest', { KeyId: 'string' });
const CancelKeyDeletionResponse = struct('CancelKeyDeletionResponse', { KeyId: 'string' });
const ConnectCustomKeyStoreRequest = struct('ConnectCustomKeyStoreRequest', { CustomKeyStoreId: 'string' });
const ConnectCustomKeyStoreResponse = struct('ConnectCustomKeyStoreResponse', {});
const CreateAliasRequest = struct('CreateAliasRequest', { AliasName: 'string', TargetKeyId: 'string' });
const XksProxyAuthenticationCredentialType = struct('XksProxyAuthenticationCredentialType', {
  AccessKeyId: 'string',
  RawSecretAccessKey: 'string',
});
const CreateCustomKeyStoreRequest = struct('CreateCustomKeyStoreRequest', {
  CustomKeyStoreName: 'string',
  CloudHsmClusterId: 'string',
  TrustAnchorCertificate: 'string',
  KeyStorePassword: 'string',
  CustomKeyStoreType: 'string',
  XksProxyUriEndpoint: 'string',
  XksProxyUriPath: 'string',
  XksProxyVpcEndpointServiceName: 'string',
  XksProxyVpcEndpointServiceOwner: 'string',
  XksProxyAuthenticationCredential: XksProxyAuthenticationCredentialType,
  XksProxyConnectivity: 'string',
});
const CreateCustomKeyStoreResponse = struct('CreateCustomKeyStoreResponse', { CustomKeyStoreId: 'string' });
const GrantConstraints = struct('GrantConstraints', {
  EncryptionContextSubset: map('string'),
  EncryptionContextEquals: map('string'),
  SourceArn: 'string',
});
const CreateGrantRequest = struct('CreateGrantRequest', {
  KeyId: 'string',
  Operations: list('string'),
  GranteePrincipal: 'string',
  RetiringPrincipal: 'string',
  Constraints: GrantConstraints,
  GrantTokens: list('string'),
  Name: 'string',
  DryRun: 'boolean',
  GranteeServicePrincipal: 'string',
  RetiringServicePrincipal: 'string',
});
const CreateGrantResponse = struct('CreateGrantResponse', { GrantToken: 'string', GrantId: 'string' });
const Tag = struct('Tag', { TagKey: 'string', TagValue: 'string' });
const CreateKeyRequest = struct('CreateKeyRequest', {
  Policy: 'string',
  Description: 'string',
  KeyUsage: 'string',
  CustomerMasterKeySpec: 'string',
  KeySpec: 'string',
  Origin: 'string',
  CustomKeyStoreId: 'string',
  BypassPolicyLockoutSafetyCheck: 'boolean',
  Tags: list(Tag),
  MultiRegion: 'boolean',
  XksKeyId: 'string',
});
const MultiRegionKey = struct('MultiRegionKey', { Arn: 'string', Region: 'string' });
const MultiRegionConfiguration = struct('MultiRegionConfiguration', {
  MultiRegionKeyType: 'string',
  PrimaryKey: MultiRegionKey,
  ReplicaKeys: list(MultiRegionKey),
});
const XksKeyConfigurationType = struct('XksKeyConfigurationType', { Id: 'string' });
const KeyMetadata = struct('KeyMetadata', {
  KeyId: 'string',
  AWSAccountId: 'string',
  Arn: 'string',
  CreationDate: 'timestamp',
  Enabled: 'boolean',
  Description: 'string',
  KeyUsage: 'string',
  KeyState: 'string',
  DeletionDate: 'timestamp',
  ValidTo: 'timestamp',
  Origin: 'string',
  CustomKeyStoreId: 'string',
  CloudHsmClusterId: 'string',
  ExpirationModel: 'string',
  KeyManager: 'string',
  CustomerMasterKeySpec: 'string',
  KeySpec: 'string',
  EncryptionAlgorithms: list('string'),
  SigningAlgorithms: list('string'),
  KeyAgreementAlgorithms: list('string'),
  EncapsulationAlgorithms: list('string'),
  MultiRegion: 'boolean',
  MultiRegionConfiguration: MultiRegionConfiguration,
  PendingDeletionWindowInDays: 'integer',
  MacAlgorithms: list('string'),
  XksKeyConfiguration: XksKeyConfigurationType,
  CurrentKeyMaterialId: 'string',
});
const CreateKeyResponse = struct('CreateKeyResponse', { KeyMetadata: KeyMetadata });
const DecapsulateRequest = struct('DecapsulateRequest', {
  KeyId: 'string',
  SharedSecretCiphertextBlob: 'blob',
  EncapsulationAlgorithm: 'string',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const DecapsulateResponse = struct('DecapsulateResponse', {
  KeyId: 'string',
  SharedSecret: 'blob',
  EncapsulationAlgorithm: 'string',
});
const RecipientInfo = struct('RecipientInfo', { KeyEncryptionAlgorithm: 'string', AttestationDocument: 'blob' });
const DecryptRequest = struct('DecryptRequest', {
  CiphertextBlob: 'blob',
  EncryptionContext: map('string'),
  GrantTokens: list('string'),
  KeyId: 'string',
  EncryptionAlgorithm: 'string',
  Recipient: RecipientInfo,
  DryRun: 'boolean',
  DryRunModifiers: list('string'),
});
const DecryptResponse = struct('DecryptResponse', {
  KeyId: 'string',
  Plaintext: 'blob',
  EncryptionAlgorithm: 'string',
  CiphertextForRecipient: 'blob',
  KeyMaterialId: 'string',
});
const DeleteAliasRequest = struct('DeleteAliasRequest', { AliasName: 'string' });
const DeleteCustomKeyStoreRequest = struct('DeleteCustomKeyStoreRequest', { CustomKeyStoreId: 'string' });
const DeleteCustomKeyStoreResponse = struct('DeleteCustomKeyStoreResponse', {});
const DeleteImportedKeyMaterialRequest = struct('DeleteImportedKeyMaterialRequest', {
  KeyId: 'string',
  KeyMaterialId: 'string',
});
const DeleteImportedKeyMaterialResponse = struct('DeleteImportedKeyMaterialResponse', {
  KeyId: 'string',
  KeyMaterialId: 'string',
});
const DeriveSharedSecretRequest = struct('DeriveSharedSecretRequest', {
  KeyId: 'string',
  KeyAgreementAlgorithm: 'string',
  PublicKey: 'blob',
  GrantTokens: list('string'),
  DryRun: 'boolean',
  Recipient: RecipientInfo,
});
const DeriveSharedSecretResponse = struct('DeriveSharedSecretResponse', {
  KeyId: 'string',
  SharedSecret: 'blob',
  CiphertextForRecipient: 'blob',
  KeyAgreementAlgorithm: 'string',
  KeyOrigin: 'string',
});
const DescribeCustomKeyStoresRequest = struct('DescribeCustomKeyStoresRequest', {
  CustomKeyStoreId: 'string',
  CustomKeyStoreName: 'string',
  Limit: 'integer',
  Marker: 'string',
});
const XksProxyConfigurationType = struct('XksProxyConfigurationType', {
  Connectivity: 'string',
  AccessKeyId: 'string',
  UriEndpoint: 'string',
  UriPath: 'string',
  VpcEndpointServiceName: 'string',
  VpcEndpointServiceOwner: 'string',
});
const CustomKeyStoresListEntry = struct('CustomKeyStoresListEntry', {
  CustomKeyStoreId: 'string',
  CustomKeyStoreName: 'string',
  CloudHsmClusterId: 'string',
  TrustAnchorCertificate: 'string',
  ConnectionState: 'string',
  ConnectionErrorCode: 'string',
  CreationDate: 'timestamp',
  CustomKeyStoreType: 'string',
  XksProxyConfiguration: XksProxyConfigurationType,
});
const DescribeCustomKeyStoresResponse = struct('DescribeCustomKeyStoresResponse', {
  CustomKeyStores: list(CustomKeyStoresListEntry),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const DescribeKeyRequest = struct('DescribeKeyRequest', { KeyId: 'string', GrantTokens: list('string') });
const DescribeKeyResponse = struct('DescribeKeyResponse', { KeyMetadata: KeyMetadata });
const DisableKeyRequest = struct('DisableKeyRequest', { KeyId: 'string' });
const DisableKeyRotationRequest = struct('DisableKeyRotationRequest', { KeyId: 'string' });
const DisconnectCustomKeyStoreRequest = struct('DisconnectCustomKeyStoreRequest', { CustomKeyStoreId: 'string' });
const DisconnectCustomKeyStoreResponse = struct('DisconnectCustomKeyStoreResponse', {});
const EnableKeyRequest = struct('EnableKeyRequest', { KeyId: 'string' });
const EnableKeyRotationRequest = struct('EnableKeyRotationRequest', {
  KeyId: 'string',
  RotationPeriodInDays: 'integer',
});
const EncapsulateRequest = struct('EncapsulateRequest', {
  KeyId: 'string',
  EncapsulationAlgorithm: 'string',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const EncapsulateResponse = struct('EncapsulateResponse', {
  KeyId: 'string',
  SharedSecret: 'blob',
  SharedSecretCiphertextBlob: 'blob',
  EncapsulationAlgorithm: 'string',
});
const EncryptRequest = struct('EncryptRequest', {
  KeyId: 'string',
  Plaintext: 'blob',
  EncryptionContext: map('string'),
  GrantTokens: list('string'),
  EncryptionAlgorithm: 'string',
  DryRun: 'boolean',
});
const EncryptResponse = struct('EncryptResponse', {
  CiphertextBlob: 'blob',
  KeyId: 'string',
  EncryptionAlgorithm: 'string',
});
const GenerateDataKeyRequest = struct('GenerateDataKeyRequest', {
  KeyId: 'string',
  EncryptionContext: map('string'),
  NumberOfBytes: 'integer',
  KeySpec: 'string',
  GrantTokens: list('string'),
  Recipient: RecipientInfo,
  DryRun: 'boolean',
});
const GenerateDataKeyResponse = struct('GenerateDataKeyResponse', {
  CiphertextBlob: 'blob',
  Plaintext: 'blob',
  KeyId: 'string',
  CiphertextForRecipient: 'blob',
  KeyMaterialId: 'string',
});
const GenerateDataKeyPairRequest = struct('GenerateDataKeyPairRequest', {
  KeyId: 'string',
  KeyPairSpec: 'string',
  EncryptionContext: map('string'),
  GrantTokens: list('string'),
  Recipient: RecipientInfo,
  DryRun: 'boolean',
});
const GenerateDataKeyPairResponse = struct('GenerateDataKeyPairResponse', {
  PrivateKeyCiphertextBlob: 'blob',
  PrivateKeyPlaintext: 'blob',
  PublicKey: 'blob',
  KeyId: 'string',
  KeyPairSpec: 'string',
  CiphertextForRecipient: 'blob',
  KeyMaterialId: 'string',
});
const GenerateDataKeyPairWithoutPlaintextRequest = struct('GenerateDataKeyPairWithoutPlaintextRequest', {
  KeyId: 'string',
  KeyPairSpec: 'string',
  EncryptionContext: map('string'),
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const GenerateDataKeyPairWithoutPlaintextResponse = struct('GenerateDataKeyPairWithoutPlaintextResponse', {
  PrivateKeyCiphertextBlob: 'blob',
  PublicKey: 'blob',
  KeyId: 'string',
  KeyPairSpec: 'string',
  KeyMaterialId: 'string',
});
const GenerateDataKeyWithoutPlaintextRequest = struct('GenerateDataKeyWithoutPlaintextRequest', {
  KeyId: 'string',
  EncryptionContext: map('string'),
  KeySpec: 'string',
  NumberOfBytes: 'integer',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const GenerateDataKeyWithoutPlaintextResponse = struct('GenerateDataKeyWithoutPlaintextResponse', {
  CiphertextBlob: 'blob',
  KeyId: 'string',
  KeyMaterialId: 'string',
});
const GenerateMacRequest = struct('GenerateMacRequest', {
  Message: 'blob',
  KeyId: 'string',
  MacAlgorithm: 'string',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const GenerateMacResponse = struct('GenerateMacResponse', { Mac: 'blob', MacAlgorithm: 'string', KeyId: 'string' });
const GenerateRandomRequest = struct('GenerateRandomRequest', {
  NumberOfBytes: 'integer',
  CustomKeyStoreId: 'string',
  Recipient: RecipientInfo,
});
const GenerateRandomResponse = struct('GenerateRandomResponse', { Plaintext: 'blob', CiphertextForRecipient: 'blob' });
const GetKeyLastUsageRequest = struct('GetKeyLastUsageRequest', { KeyId: 'string' });
const KeyLastUsageData = struct('KeyLastUsageData', {
  Operation: 'string',
  Timestamp: 'timestamp',
  CloudTrailEventId: 'string',
  KmsRequestId: 'string',
});
const GetKeyLastUsageResponse = struct('GetKeyLastUsageResponse', {
  KeyId: 'string',
  KeyLastUsage: KeyLastUsageData,
  TrackingStartDate: 'timestamp',
  KeyCreationDate: 'timestamp',
});
const GetKeyPolicyRequest = struct('GetKeyPolicyRequest', { KeyId: 'string', PolicyName: 'string' });
const GetKeyPolicyResponse = struct('GetKeyPolicyResponse', { Policy: 'string', PolicyName: 'string' });
const GetKeyRotationStatusRequest = struct('GetKeyRotationStatusRequest', { KeyId: 'string' });
const GetKeyRotationStatusResponse = struct('GetKeyRotationStatusResponse', {
  KeyRotationEnabled: 'boolean',
  KeyId: 'string',
  RotationPeriodInDays: 'integer',
  NextRotationDate: 'timestamp',
  OnDemandRotationStartDate: 'timestamp',
});
const GetParametersForImportRequest = struct('GetParametersForImportRequest', {
  KeyId: 'string',
  WrappingAlgorithm: 'string',
  WrappingKeySpec: 'string',
});
const GetParametersForImportResponse = struct('GetParametersForImportResponse', {
  KeyId: 'string',
  ImportToken: 'blob',
  PublicKey: 'blob',
  ParametersValidTo: 'timestamp',
});
const GetPublicKeyRequest = struct('GetPublicKeyRequest', { KeyId: 'string', GrantTokens: list('string') });
const GetPublicKeyResponse = struct('GetPublicKeyResponse', {
  KeyId: 'string',
  PublicKey: 'blob',
  CustomerMasterKeySpec: 'string',
  KeySpec: 'string',
  KeyUsage: 'string',
  EncryptionAlgorithms: list('string'),
  SigningAlgorithms: list('string'),
  KeyAgreementAlgorithms: list('string'),
  EncapsulationAlgorithms: list('string'),
});
const ImportKeyMaterialRequest = struct('ImportKeyMaterialRequest', {
  KeyId: 'string',
  ImportToken: 'blob',
  EncryptedKeyMaterial: 'blob',
  ValidTo: 'timestamp',
  ExpirationModel: 'string',
  ImportType: 'string',
  KeyMaterialDescription: 'string',
  KeyMaterialId: 'string',
});
const ImportKeyMaterialResponse = struct('ImportKeyMaterialResponse', { KeyId: 'string', KeyMaterialId: 'string' });
const ListAliasesRequest = struct('ListAliasesRequest', { KeyId: 'string', Limit: 'integer', Marker: 'string' });
const AliasListEntry = struct('AliasListEntry', {
  AliasName: 'string',
  AliasArn: 'string',
  TargetKeyId: 'string',
  CreationDate: 'timestamp',
  LastUpdatedDate: 'timestamp',
});
const ListAliasesResponse = struct('ListAliasesResponse', {
  Aliases: list(AliasListEntry),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const ListGrantsRequest = struct('ListGrantsRequest', {
  KeyId: 'string',
  Limit: 'integer',
  Marker: 'string',
  GrantId: 'string',
  GranteePrincipal: 'string',
  GranteeServicePrincipal: 'string',
});
const GrantListEntry = struct('GrantListEntry', {
  KeyId: 'string',
  GrantId: 'string',
  Name: 'string',
  CreationDate: 'timestamp',
  GranteePrincipal: 'string',
  RetiringPrincipal: 'string',
  IssuingAccount: 'string',
  Operations: list('string'),
  Constraints: GrantConstraints,
  GranteeServicePrincipal: 'string',
  RetiringServicePrincipal: 'string',
});
const ListGrantsResponse = struct('ListGrantsResponse', {
  Grants: list(GrantListEntry),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const ListKeyPoliciesRequest = struct('ListKeyPoliciesRequest', {
  KeyId: 'string',
  Limit: 'integer',
  Marker: 'string',
});
const ListKeyPoliciesResponse = struct('ListKeyPoliciesResponse', {
  PolicyNames: list('string'),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const ListKeyRotationsRequest = struct('ListKeyRotationsRequest', {
  KeyId: 'string',
  IncludeKeyMaterial: 'string',
  Limit: 'integer',
  Marker: 'string',
});
const RotationsListEntry = struct('RotationsListEntry', {
  KeyId: 'string',
  KeyMaterialId: 'string',
  KeyMaterialDescription: 'string',
  ImportState: 'string',
  KeyMaterialState: 'string',
  ExpirationModel: 'string',
  ValidTo: 'timestamp',
  RotationDate: 'timestamp',
  RotationType: 'string',
});
const ListKeyRotationsResponse = struct('ListKeyRotationsResponse', {
  Rotations: list(RotationsListEntry),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const ListKeysRequest = struct('ListKeysRequest', { Limit: 'integer', Marker: 'string' });
const KeyListEntry = struct('KeyListEntry', { KeyId: 'string', KeyArn: 'string' });
const ListKeysResponse = struct('ListKeysResponse', {
  Keys: list(KeyListEntry),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const ListResourceTagsRequest = struct('ListResourceTagsRequest', {
  KeyId: 'string',
  Limit: 'integer',
  Marker: 'string',
});
const ListResourceTagsResponse = struct('ListResourceTagsResponse', {
  Tags: list(Tag),
  NextMarker: 'string',
  Truncated: 'boolean',
});
const ListRetirableGrantsRequest = struct('ListRetirableGrantsRequest', {
  Limit: 'integer',
  Marker: 'string',
  RetiringPrincipal: 'string',
  RetiringServicePrincipal: 'string',
});
const PutKeyPolicyRequest = struct('PutKeyPolicyRequest', {
  KeyId: 'string',
  Policy: 'string',
  PolicyName: 'string',
  BypassPolicyLockoutSafetyCheck: 'boolean',
});
const ReEncryptRequest = struct('ReEncryptRequest', {
  DestinationKeyId: 'string',
  CiphertextBlob: 'blob',
  SourceEncryptionContext: map('string'),
  SourceKeyId: 'string',
  DestinationEncryptionContext: map('string'),
  SourceEncryptionAlgorithm: 'string',
  DestinationEncryptionAlgorithm: 'string',
  GrantTokens: list('string'),
  DryRun: 'boolean',
  DryRunModifiers: list('string'),
});
const ReEncryptResponse = struct('ReEncryptResponse', {
  CiphertextBlob: 'blob',
  SourceKeyId: 'string',
  KeyId: 'string',
  SourceEncryptionAlgorithm: 'string',
  DestinationEncryptionAlgorithm: 'string',
  SourceKeyMaterialId: 'string',
  DestinationKeyMaterialId: 'string',
});
const ReplicateKeyRequest = struct('ReplicateKeyRequest', {
  KeyId: 'string',
  ReplicaRegion: 'string',
  Policy: 'string',
  BypassPolicyLockoutSafetyCheck: 'boolean',
  Description: 'string',
  Tags: list(Tag),
});
const ReplicateKeyResponse = struct('ReplicateKeyResponse', {
  ReplicaKeyMetadata: KeyMetadata,
  ReplicaPolicy: 'string',
  ReplicaTags: list(Tag),
});
const RetireGrantRequest = struct('RetireGrantRequest', {
  GrantToken: 'string',
  KeyId: 'string',
  GrantId: 'string',
  DryRun: 'boolean',
});
const RevokeGrantRequest = struct('RevokeGrantRequest', { KeyId: 'string', GrantId: 'string', DryRun: 'boolean' });
const RotateKeyOnDemandRequest = struct('RotateKeyOnDemandRequest', { KeyId: 'string' });
const RotateKeyOnDemandResponse = struct('RotateKeyOnDemandResponse', { KeyId: 'string' });
const ScheduleKeyDeletionRequest = struct('ScheduleKeyDeletionRequest', {
  KeyId: 'string',
  PendingWindowInDays: 'integer',
});
const ScheduleKeyDeletionResponse = struct('ScheduleKeyDeletionResponse', {
  KeyId: 'string',
  DeletionDate: 'timestamp',
  KeyState: 'string',
  PendingWindowInDays: 'integer',
});
const SignRequest = struct('SignRequest', {
  KeyId: 'string',
  Message: 'blob',
  SigningAlgorithm: 'string',
  MessageType: 'string',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const SignResponse = struct('SignResponse', { KeyId: 'string', Signature: 'blob', SigningAlgorithm: 'string' });
const TagResourceRequest = struct('TagResourceRequest', { KeyId: 'string', Tags: list(Tag) });
const UntagResourceRequest = struct('UntagResourceRequest', { KeyId: 'string', TagKeys: list('string') });
const UpdateAliasRequest = struct('UpdateAliasRequest', { AliasName: 'string', TargetKeyId: 'string' });
const UpdateCustomKeyStoreRequest = struct('UpdateCustomKeyStoreRequest', {
  CustomKeyStoreId: 'string',
  NewCustomKeyStoreName: 'string',
  KeyStorePassword: 'string',
  CloudHsmClusterId: 'string',
  XksProxyUriEndpoint: 'string',
  XksProxyUriPath: 'string',
  XksProxyVpcEndpointServiceName: 'string',
  XksProxyVpcEndpointServiceOwner: 'string',
  XksProxyAuthenticationCredential: XksProxyAuthenticationCredentialType,
  XksProxyConnectivity: 'string',
});
const UpdateCustomKeyStoreResponse = struct('UpdateCustomKeyStoreResponse', {});
const UpdateKeyDescriptionRequest = struct('UpdateKeyDescriptionRequest', { KeyId: 'string', Description: 'string' });
const UpdatePrimaryRegionRequest = struct('UpdatePrimaryRegionRequest', { KeyId: 'string', PrimaryRegion: 'string' });
const VerifyRequest = struct('VerifyRequest', {
  KeyId: 'string',
  Message: 'blob',
  Signature: 'blob',
  SigningAlgorithm: 'string',
  MessageType: 'string',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const VerifyResponse = struct('VerifyResponse', {
  KeyId: 'string',
  SignatureValid: 'boolean',
  SigningAlgorithm: 'string',
});
const VerifyMacRequest = struct('VerifyMacRequest', {
  Message: 'blob',
  KeyId: 'string',
  MacAlgorithm: 'string',
  Mac: 'blob',
  GrantTokens: list('string'),
  DryRun: 'boolean',
});
const VerifyMacResponse = struct('VerifyMacResponse', { KeyId: 'string', MacValid: 'boolean', MacAlgorithm: 'string' });

/** Request and response shapes of every KMS API operation, by operation name (`TrentService.<name>`). */
export const KMS_API: ReadonlyMap<string, OperationShapes> = new Map<string, OperationShapes>([
  ['CancelKeyDeletion', { input: CancelKeyDeletionRequest, output: CancelKeyDeletionResponse }],
  ['ConnectCustomKeyStore', { input: ConnectCustomKeyStoreRequest, output: ConnectCustomKeyStoreResponse }],
  ['CreateAlias', { input: CreateAliasRequest, output: UNIT }],
  ['CreateCustomKeyStore', { input: CreateCustomKeyStoreRequest, output: CreateCustomKeyStoreResponse }],
  ['CreateGrant', { input: CreateGrantRequest, output: CreateGrantResponse }],
  ['CreateKey', { input: CreateKeyRequest, output: CreateKeyResponse }],
  ['Decapsulate', { input: DecapsulateRequest, output: DecapsulateResponse }],
  ['Decrypt', { input: DecryptRequest, output: DecryptResponse }],
  ['DeleteAlias', { input: DeleteAliasRequest, output: UNIT }],
  ['DeleteCustomKeyStore', { input: DeleteCustomKeyStoreRequest, output: DeleteCustomKeyStoreResponse }],
  ['DeleteImportedKeyMaterial', { input: DeleteImportedKeyMaterialRequest, output: DeleteImportedKeyMaterialResponse }],
  ['DeriveSharedSecret', { input: DeriveSharedSecretRequest, output: DeriveSharedSecretResponse }],
  ['DescribeCustomKeyStores', { input: DescribeCustomKeyStoresRequest, output: DescribeCustomKeyStoresResponse }],
  ['DescribeKey', { input: DescribeKeyRequest, output: DescribeKeyResponse }],
  ['DisableKey', { input: DisableKeyRequest, output: UNIT }],
  ['DisableKeyRotation', { input: DisableKeyRotationRequest, output: UNIT }],
  ['DisconnectCustomKeyStore', { input: DisconnectCustomKeyStoreRequest, output: DisconnectCustomKeyStoreResponse }],
  ['EnableKey', { input: EnableKeyRequest, output: UNIT }],
  ['EnableKeyRotation', { input: EnableKeyRotationRequest, output: UNIT }],
  ['Encapsulate', { input: EncapsulateRequest, output: EncapsulateResponse }],
  ['Encrypt', { input: EncryptRequest, output: EncryptResponse }],
  ['GenerateDataKey', { input: GenerateDataKeyRequest, output: GenerateDataKeyResponse }],
  ['GenerateDataKeyPair', { input: GenerateDataKeyPairRequest, output: GenerateDataKeyPairResponse }],
  [
    'GenerateDataKeyPairWithoutPlaintext',
    { input: GenerateDataKeyPairWithoutPlaintextRequest, output: GenerateDataKeyPairWithoutPlaintextResponse },
  ],
  [
    'GenerateDataKeyWithoutPlaintext',
    { input: GenerateDataKeyWithoutPlaintextRequest, output: GenerateDataKeyWithoutPlaintextResponse },
  ],
  ['GenerateMac', { input: GenerateMacRequest, output: GenerateMacResponse }],
  ['GenerateRandom', { input: GenerateRandomRequest, output: GenerateRandomResponse }],
  ['GetKeyLastUsage', { input: GetKeyLastUsageRequest, output: GetKeyLastUsageResponse }],
  ['GetKeyPolicy', { input: GetKeyPolicyRequest, output: GetKeyPolicyResponse }],
  ['GetKeyRotationStatus', { input: GetKeyRotationStatusRequest, output: GetKeyRotationStatusResponse }],
  ['GetParametersForImport', { input: GetParametersForImportRequest, output: GetParametersForImportResponse }],
  ['GetPublicKey', { input: GetPublicKeyRequest, output: GetPublicKeyResponse }],
  ['ImportKeyMaterial', { input: ImportKeyMaterialRequest, output: ImportKeyMaterialResponse }],
  ['ListAliases', { input: ListAliasesRequest, output: ListAliasesResponse }],
  ['ListGrants', { input: ListGrantsRequest, output: ListGrantsResponse }],
  ['ListKeyPolicies', { input: ListKeyPoliciesRequest, output: ListKeyPoliciesResponse }],
  ['ListKeyRotations', { input: ListKeyRotationsRequest, output: ListKeyRotationsResponse }],
  ['ListKeys', { input: ListKeysRequest, output: ListKeysResponse }],
  ['ListResourceTags', { input: ListResourceTagsRequest, output: ListResourceTagsResponse }],
  ['ListRetirableGrants', { input: ListRetirableGrantsRequest, output: ListGrantsResponse }],
  ['PutKeyPolicy', { input: PutKeyPolicyRequest, output: UNIT }],
  ['ReEncrypt', { input: ReEncryptRequest, output: ReEncryptResponse }],
  ['ReplicateKey', { input: ReplicateKeyRequest, output: ReplicateKeyResponse }],
  ['RetireGrant', { input: RetireGrantRequest, output: UNIT }],
  ['RevokeGrant', { input: RevokeGrantRequest, output: UNIT }],
  ['RotateKeyOnDemand', { input: RotateKeyOnDemandRequest, output: RotateKeyOnDemandResponse }],
  ['ScheduleKeyDeletion', { input: ScheduleKeyDeletionRequest, output: ScheduleKeyDeletionResponse }],
  ['Sign', { input: SignRequest, output: SignResponse }],
  ['TagResource', { input: TagResourceRequest, output: UNIT }],
  ['UntagResource', { input: UntagResourceRequest, output: UNIT }],
  ['UpdateAlias', { input: UpdateAliasRequest, output: UNIT }],
  ['UpdateCustomKeyStore', { input: UpdateCustomKeyStoreRequest, output: UpdateCustomKeyStoreResponse }],
  ['UpdateKeyDescription', { input: UpdateKeyDescriptionRequest, output: UNIT }],
  ['UpdatePrimaryRegion', { input: UpdatePrimaryRegionRequest, output: UNIT }],
  ['Verify', { input: VerifyRequest, output: VerifyResponse }],
  ['VerifyMac', { input: VerifyMacRequest, output: VerifyMacResponse }],
]);
