/**
 * Where extraction leaves each input file's staged copy (line-numbered CSV): `<stagingDir>/<source path>.csv`,
 * so the source path can be read off a staged file's name and staged files sort like their sources.
 */
export function stagedPath(stagingDir: string, sourcePath: string): string {
  return `${stagingDir}/${sourcePath}.csv`;
}
