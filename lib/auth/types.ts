/** An API key as stored: only its SHA-256 is kept, with the agency and roles it acts for. */
export interface ApiKeyRecord {
  readonly keyHash: string;
  readonly keyId: string;
  readonly agencyCode: string;
  readonly roles: readonly string[];
  readonly label: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}
