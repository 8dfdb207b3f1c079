import {execFileSync, spawnSync} from "node:child_process";
import {mkdirSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {SLICES, writeSlice, writeAdversarialFile} from "../test/helpers/slices.js";
const only = process.argv[2];
const cases: {name: string; make: (raw: string) => Promise<unknown>}[] = [
  ...SLICES.map((s) => ({name: s.name, make: (raw: string) => writeSlice(s, raw)})),
  {name: "adversarial 2", make: async (raw: string) => writeAdversarialFile(raw)},
  {name: "adversarial 6", make: async (raw: string) => writeAdversarialFile(raw, {large: 6})}
];
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  const dir = join("/tmp/slices", c.name.replace(/\W+/g, "-"));
  rmSync(dir, {recursive: true, force: true});
  await c.make(join(dir, "raw"));
  const t = performance.now();
  const r = spawnSync(process.execPath, ["loaders/launch.mjs", "--raw", join(dir, "raw"), "--warehouse", join(dir, "wh"), "--progress", "plain"], {cwd: "/work/main", encoding: "utf8", timeout: 120000, env: {...process.env, RETAIL_RESOURCE_REPORT: join(dir, "res.json")}});
  const ms = performance.now() - t;
  let rss = 0; try { rss = JSON.parse(readFileSync(join(dir, "res.json"), "utf8")).maxRssKiB / 1024; } catch {}
  console.log(`\n### ${c.name}: exit ${r.status} ${r.signal ?? ""} ${(ms/1000).toFixed(1)} s, ${rss.toFixed(0)} MiB`);
  const out = (r.stdout + r.stderr).split("\n").filter((l) => !l.startsWith("[") && /ran|fail|error|✗/.test(l));
  console.log(out.join("\n"));
}
