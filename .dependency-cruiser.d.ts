// Types for .dependency-cruiser.js, which the architecture test and the docs generator import.
import type { IConfiguration } from 'dependency-cruiser';

export interface Layer {
  readonly name: string;
  /** A regular expression on the repository path. */
  readonly where: string;
  readonly holds: string;
  readonly mayImport: string;
}

export const ruleFolders: readonly string[];
export const portModule: string;
export const layers: readonly Layer[];
declare const config: IConfiguration;
export default config;
