import type { ApiKeyRecord } from './types';

/** Looks an API key up by the SHA-256 of the key. */
export interface ApiKeyReader {
  getApiKey(keyHash: string): Promise<ApiKeyRecord | undefined>;
}
