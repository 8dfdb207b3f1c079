import {FileAttachment} from "observablehq:stdlib";

/**
 * The banner every page that reads a snapshot shows while the pipeline's last run failed
 * (`data/pipeline-status.json`, written by loaders/site/publish.ts): the reason — it names the file and
 * what to do — and that the page still shows the previous snapshots. In `npm run dev` a fixed or removed
 * file makes the next run succeed; the status file changes and Framework re-runs the page, without it.
 * Shown by importing this module (snapshot-files.ts does), once per page.
 */
export type RunStatus = {ok: true} | {ok: false; error: string};

export function pipelineBanner(status: RunStatus): HTMLElement | null {
  if (status.ok) return null;
  const banner = document.createElement("div");
  banner.className = "caution";
  banner.setAttribute("role", "alert");
  banner.dataset.banner = "pipeline-failed";
  const title = document.createElement("strong");
  title.textContent = "The last pipeline run failed; this page shows the snapshots from before it. ";
  const reason = document.createElement("code");
  reason.textContent = status.error;
  banner.append(title, reason);
  return banner;
}

async function show(): Promise<void> {
  if (typeof document === "undefined") return;
  const file = FileAttachment("../data/pipeline-status.json");
  let status: RunStatus;
  try {
    status = await file.json();
  } catch {
    return; // a site built before the status file existed
  }
  document.querySelector("[data-banner=pipeline-failed]")?.remove();
  const banner = pipelineBanner(status);
  if (!banner) return;
  (document.querySelector("#observablehq-main") ?? document.body).prepend(banner);
  // In the preview a file's URL carries its hash as a query. When the status goes back to what it was when
  // the page loaded, Framework re-imports that earlier module, which the browser has evaluated already: so
  // the banner itself watches the current status, and leaves once a run succeeds.
  const current = file.href.includes("?sha=") ? file.href.replace(/\?sha=.*$/, "") : null;
  if (!current) return;
  const timer = setInterval(async () => {
    if (!banner.isConnected) return clearInterval(timer);
    const latest = (await fetch(current, {cache: "no-store"})
      .then((response) => response.json())
      .catch(() => null)) as RunStatus | null;
    if (latest?.ok) {
      banner.remove();
      clearInterval(timer);
    }
  }, 1000);
}

void show();
