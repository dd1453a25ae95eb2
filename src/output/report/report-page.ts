import { JOB_STATUSES } from "../../ledger/types.js";
import { escapeHtml } from "./report-card.js";

export interface ReportTotals {
  byStatus: Record<string, number>;
  spent: string;
  time?: string;
  generatedAt: string;
}

const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.75rem 1.5rem;z-index:1}
h1{font-size:18px;margin:0 0 .4rem}.totals{color:#555;margin:.2rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-top:.5rem}
.filters button{border:1px solid #bbb;background:#fff;border-radius:14px;padding:.2rem .7rem;cursor:pointer}
.filters button[aria-pressed=true]{background:#222;color:#fff;border-color:#222}
.filters input{flex:1;min-width:12rem;padding:.3rem .6rem;border:1px solid #bbb;border-radius:6px}
#shown{color:#555}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:1rem;padding:1rem 1.5rem}
figure{margin:0;background:#fff;border:1px solid #ddd;border-radius:8px;overflow:hidden}
figure[hidden]{display:none}
video,.none{width:100%;aspect-ratio:16/9;background:#111;display:block}
.none{color:#bbb;display:flex;align-items:center;justify-content:center;text-transform:uppercase;font-size:12px}
figcaption{padding:.5rem .75rem}.head{display:flex;justify-content:space-between;gap:.5rem}
.s{text-transform:uppercase;font-size:11px}.facts{color:#666;font-size:12px;margin:.2rem 0}
.failed .s,.invalid .s,.unknown .s,.err{color:#b00020}.succeeded .s{color:#0a7d32}
.src img{max-width:64px;max-height:64px;float:right;margin:0 0 .3rem .5rem;border-radius:4px}
p{margin:.35rem 0;white-space:pre-wrap;overflow-wrap:anywhere}`;

/**
 * Filters by status and a search over ids and prompts, and videos that load only when scrolled
 * to (with their first frame as poster): plain script, no network, works from a file:// page.
 */
const SCRIPT = `
(function(){
  var cards=[].slice.call(document.querySelectorAll("figure.card"));
  var status="all",query="";
  var shown=document.getElementById("shown");
  function apply(){
    var n=0;
    cards.forEach(function(c){
      var ok=(status==="all"||c.dataset.status===status)&&(!query||c.dataset.search.indexOf(query)>=0);
      c.hidden=!ok; if(ok)n++;
    });
    shown.textContent=n+" of "+cards.length+" shown";
  }
  [].slice.call(document.querySelectorAll(".filters button")).forEach(function(b){
    b.addEventListener("click",function(){
      status=b.dataset.status;
      [].slice.call(document.querySelectorAll(".filters button")).forEach(function(o){o.setAttribute("aria-pressed",String(o===b));});
      apply();
    });
  });
  document.getElementById("q").addEventListener("input",function(e){query=e.target.value.trim().toLowerCase();apply();});
  function load(v){if(!v.getAttribute("src")){v.preload="metadata";v.src=v.dataset.src+"#t=0.1";}}
  var videos=[].slice.call(document.querySelectorAll("video[data-src]"));
  if("IntersectionObserver" in window){
    var io=new IntersectionObserver(function(es){es.forEach(function(e){if(e.isIntersecting){load(e.target);io.unobserve(e.target);}});},{rootMargin:"300px"});
    videos.forEach(function(v){io.observe(v);});
  } else videos.forEach(load);
  apply();
})();`;

export function reportPage(cards: readonly string[], totals: ReportTotals): string {
  const statuses = JOB_STATUSES.filter((s) => (totals.byStatus[s] ?? 0) > 0);
  const total = Object.values(totals.byStatus).reduce((a, b) => a + b, 0);
  const buttons = [
    `<button data-status="all" aria-pressed="true">all ${total}</button>`,
    ...statuses.map(
      (s) =>
        `<button data-status="${escapeHtml(s)}" aria-pressed="false">${escapeHtml(s)} ${totals.byStatus[s]}</button>`,
    ),
  ].join("");
  const counts = statuses.map((s) => `${totals.byStatus[s]} ${s}`).join(", ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vidbatch report</title><style>${STYLE}</style></head><body>
<header><h1>vidbatch report</h1>
<p class="totals">${total} rows: ${escapeHtml(counts || "none")} · spent ${escapeHtml(totals.spent)}${totals.time ? ` · ${escapeHtml(totals.time)}` : ""} · written ${escapeHtml(totals.generatedAt)}</p>
<div class="filters">${buttons}<input id="q" type="search" placeholder="Search prompts and ids" aria-label="Search prompts and ids"><span id="shown"></span></div>
</header>
<main>
${cards.join("\n")}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
