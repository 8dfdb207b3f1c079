const BLOCK = /(<!-- stage-graph:start[^>]*-->\n)[\s\S]*?(<!-- stage-graph:end -->)/;

/** `readme` with the text between its stage-graph markers replaced by `graph` in a code block. */
export function withStageGraph(readme: string, graph: string): string {
  if (!BLOCK.test(readme)) {
    throw new Error("README.md has no <!-- stage-graph:start --> … <!-- stage-graph:end --> block; add the two markers where the graph goes");
  }
  return readme.replace(BLOCK, (_match, start: string, end: string) => `${start}\`\`\`\n${graph}\`\`\`\n${end}`);
}
