/** The gallery's look, shared by the static report and the review page. */
export const PAGE_STYLE = `
body{font:14px system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.75rem 1.5rem;z-index:2}
h1{font-size:18px;margin:0 0 .4rem}.totals{color:#555;margin:.2rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-top:.5rem}
.filters button,.tools button,.marks button{border:1px solid #bbb;background:#fff;border-radius:14px;padding:.2rem .7rem;cursor:pointer;font:inherit}
.filters button[aria-pressed=true]{background:#222;color:#fff;border-color:#222}
.filters input{flex:1;min-width:12rem;padding:.3rem .6rem;border:1px solid #bbb;border-radius:6px}
.sep{width:1px;height:1.3rem;background:#ccc;margin:0 .2rem}
#shown{color:#555}.tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.5rem;color:#555;font-size:12px}
.tools code{background:#f0f0ee;padding:.15rem .4rem;border-radius:4px;user-select:all}
#live{color:#0a7d32}#problem{color:#b00020}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:1rem;padding:1rem 1.5rem;align-items:start}
figure{margin:0;background:#fff;border:1px solid #ddd;border-radius:8px;overflow:hidden}
figure[hidden]{display:none}figure.current{outline:3px solid #2b6cd4;outline-offset:1px}
.media{background:#111;display:flex;justify-content:center}
video{display:block;width:100%;max-height:70vh;object-fit:contain;background:#111}
.none{width:100%;color:#bbb;display:flex;align-items:center;justify-content:center;text-transform:uppercase;font-size:12px}
figcaption{padding:.5rem .75rem}.head{display:flex;justify-content:space-between;gap:.5rem}
.s{text-transform:uppercase;font-size:11px}.facts{color:#666;font-size:12px;margin:.2rem 0}
.failed .s,.invalid .s,.unknown .s,.err{color:#b00020}.succeeded .s{color:#0a7d32}
.src img{max-width:64px;max-height:64px;float:right;margin:0 0 .3rem .5rem;border-radius:4px}
dl.extras{display:grid;grid-template-columns:auto 1fr;gap:.1rem .5rem;margin:.35rem 0;font-size:12px}
dl.extras dt{color:#666}dl.extras dd{margin:0;overflow-wrap:anywhere}
.marks{display:flex;gap:.4rem;align-items:center;margin-top:.4rem;flex-wrap:wrap}
.marks button[aria-pressed=true][data-mark=keep]{background:#0a7d32;color:#fff;border-color:#0a7d32}
.marks button[aria-pressed=true][data-mark=redo]{background:#b35c00;color:#fff;border-color:#b35c00}
.marks textarea{width:100%;box-sizing:border-box;min-height:2.2rem;font:inherit;font-size:12px;border:1px solid #ccc;border-radius:4px;padding:.25rem}
.badge{font-size:11px;text-transform:uppercase;padding:.05rem .45rem;border-radius:8px;background:#eee}
.badge.keep{background:#dff3e5;color:#0a7d32}.badge.redo{background:#fbe9d7;color:#b35c00}
details{font-size:12px;color:#555;margin-top:.3rem}details li{margin:.15rem 0}
p{margin:.35rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
#help{font-size:12px;color:#555}kbd{border:1px solid #bbb;border-radius:3px;padding:0 .25rem;background:#fafafa}`;
