/**
 * The gallery's script (plain ES2017, no network but the review server's own routes, works from
 * file:// for the static report). It renders the cards from data with DOM calls (every text is
 * text, never markup), filters by status and by mark with counts, searches prompts, ids, errors,
 * notes and the sheet's own columns, keeps the filters in the URL's #fragment, and moves through
 * the cards with the keyboard. On the review page (`live`) it also saves marks and notes through
 * POST /api/marks and asks /api/cards for what changed every two seconds.
 */
export const PAGE_SCRIPT = String.raw`
(function(){
  var data=JSON.parse(document.getElementById("data").textContent);
  var live=data.live, cards=data.cards, byKey={}, els={}, order=[];
  var state={status:"all",mark:"all",q:""}, current=-1, cursor=data.cursor||"";
  var main=document.querySelector("main"), shown=document.getElementById("shown");
  function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
  function secs(s){if(s==null)return"";if(s<90)return Math.round(s)+" s";var m=Math.round(s/60);return m<90?m+" min":Math.floor(m/60)+" h "+(m%60)+" min";}
  function searchText(c){return [c.id,c.prompt,c.error||"",c.note||"",c.model].concat(c.extras.map(function(x){return x[0]+" "+x[1];})).join(" ").toLowerCase();}
  function render(c){
    var f=el("figure","card "+c.status);f.dataset.status=c.status;f.dataset.key=c.key;f.dataset.mark=c.mark||"none";
    f.dataset.search=searchText(c);f.tabIndex=-1;
    var media=el("div","media");
    if(c.video){var v=el("video");v.dataset.src=c.video;v.preload="none";v.controls=true;v.muted=true;v.loop=true;v.playsInline=true;
      v.style.aspectRatio=c.shape[0]+" / "+c.shape[1];
      v.addEventListener("loadedmetadata",function(){if(v.videoWidth&&v.videoHeight)v.style.aspectRatio=v.videoWidth+" / "+v.videoHeight;});
      media.appendChild(v);observe(v);}
    else{var n=el("div","none",c.status);n.style.aspectRatio=c.shape[0]+" / "+c.shape[1];media.appendChild(n);}
    f.appendChild(media);
    var cap=el("figcaption"),head=el("div","head");
    head.appendChild(el("b",null,(c.id?c.id+" · ":"")+"line "+c.line));
    var right=el("span");if(c.mark){right.appendChild(el("span","badge "+c.mark,c.mark));right.appendChild(document.createTextNode(" "));}
    right.appendChild(el("span","s",c.status));head.appendChild(right);cap.appendChild(head);
    var facts=[c.model,c.duration,c.mode,c.sound?"sound":"",c.cost,c.seconds!=null?"made in "+secs(c.seconds):""].filter(Boolean);
    cap.appendChild(el("div","facts",facts.join(" · ")));
    c.frames.forEach(function(fr){var a=el("a","src");a.href=fr.href;var i=el("img");i.loading="lazy";i.alt=fr.label;i.src=fr.href;a.appendChild(i);cap.appendChild(a);});
    cap.appendChild(el("p","prompt",c.prompt));
    if(c.extras.length){var dl=el("dl","extras");c.extras.forEach(function(x){dl.appendChild(el("dt",null,x[0]));dl.appendChild(el("dd",null,x[1]));});cap.appendChild(dl);}
    if(c.error)cap.appendChild(el("p","err",c.error));
    if(live){
      var m=el("div","marks");
      ["keep","redo"].forEach(function(k){var b=el("button",null,k==="keep"?"Keep":"Redo");b.type="button";b.dataset.mark=k;
        b.setAttribute("aria-pressed",String(c.mark===k));b.addEventListener("click",function(){select(c.key);save(c.key,{mark:c.mark===k?null:k});});m.appendChild(b);});
      var t=el("textarea");t.placeholder="Note";t.setAttribute("aria-label","Note for line "+c.line);t.value=c.note||"";
      var timer;t.addEventListener("input",function(){clearTimeout(timer);timer=setTimeout(function(){save(c.key,{note:t.value});},700);});
      t.addEventListener("change",function(){clearTimeout(timer);if(t.value!==(byKey[c.key].note||""))save(c.key,{note:t.value});});
      m.appendChild(t);cap.appendChild(m);
    } else if(c.note)cap.appendChild(el("p","note","Note: "+c.note));
    if(c.attempts.length>1){
      var d=el("details"),s=el("summary",null,c.attempts.length+" attempts"),ul=el("ul");d.appendChild(s);
      c.attempts.forEach(function(a){var li=el("li",null,"#"+a.n+" "+a.state+" · "+a.model+" · "+a.cost+(a.finishedAt?" · "+a.finishedAt.slice(0,16).replace("T"," ")+" UTC":"")+(a.error?" · "+a.error:"")+" ");
        if(a.video){var link=el("a",null,"video");link.href=a.video;li.appendChild(link);}ul.appendChild(li);});
      d.appendChild(ul);cap.appendChild(d);
    }
    f.appendChild(cap);return f;
  }
  var io="IntersectionObserver" in window?new IntersectionObserver(function(es){es.forEach(function(e){if(e.isIntersecting){load(e.target);io.unobserve(e.target);}});},{rootMargin:"300px"}):null;
  function load(v){if(!v.getAttribute("src")){v.preload="metadata";v.src=v.dataset.src+"#t=0.1";}}
  function observe(v){if(io)io.observe(v);else load(v);}
  function put(c){
    var old=els[c.key],json=JSON.stringify(c);
    if(old&&old.dataset.json===json)return;
    if(old&&old.contains(document.activeElement)&&document.activeElement.tagName==="TEXTAREA"){byKey[c.key]=c;return;}
    byKey[c.key]=c;var f=render(c);f.dataset.json=json;
    if(old){if(old.classList.contains("current"))f.classList.add("current");main.replaceChild(f,old);}else main.appendChild(f);
    els[c.key]=f;
  }
  function setOrder(keys){
    var want={};keys.forEach(function(k){want[k]=true;});
    Object.keys(els).forEach(function(k){if(!want[k]){main.removeChild(els[k]);delete els[k];delete byKey[k];}});
    // Only cards out of place move: moving a card would take the focus out of a note being typed.
    var at=main.firstElementChild;
    keys.forEach(function(k){var f=els[k];if(!f)return;if(f!==at)main.insertBefore(f,at);else at=at.nextElementSibling;});
    order=keys.filter(function(k){return els[k];});
  }
  function visible(){return order.filter(function(k){return !els[k].hidden;});}
  function matches(c,f,skip){
    return (skip==="status"||state.status==="all"||c.status===state.status)&&(skip==="mark"||state.mark==="all"||(c.mark||"none")===state.mark)&&(!state.q||f.dataset.search.indexOf(state.q)>=0);
  }
  function apply(){
    var n=0,st={},mk={},all=0;
    order.forEach(function(k){var c=byKey[k],f=els[k];var ok=matches(c,f);f.hidden=!ok;if(ok)n++;
      if(matches(c,f,"status")){st[c.status]=(st[c.status]||0)+1;all++;}
      if(matches(c,f,"mark")){var m=c.mark||"none";mk[m]=(mk[m]||0)+1;mk.all=(mk.all||0)+1;}});
    shown.textContent=n+" of "+order.length+" shown";
    document.querySelectorAll("button[data-status]").forEach(function(b){var s=b.dataset.status;var k=s==="all"?all:(st[s]||0);
      b.textContent=s+" "+k;b.hidden=s!=="all"&&!k&&state.status!==s;b.setAttribute("aria-pressed",String(state.status===s));});
    document.querySelectorAll("button[data-filter-mark]").forEach(function(b){var s=b.dataset.filterMark;
      b.textContent=(s==="none"?"unmarked":s)+" "+(mk[s]||0);b.setAttribute("aria-pressed",String(state.mark===s));});
    var totals=count(),parts=data.statuses.filter(function(s){return totals[s];}).map(function(s){return totals[s]+" "+s;});
    document.querySelector(".totals").textContent=order.length+" rows: "+(parts.join(", ")||"none")+" · spent "+data.spent+(data.time?" · "+data.time:"")+" · "+data.written;
    var redo=order.filter(function(k){return byKey[k].mark==="redo";}).length, rc=document.getElementById("redo-count");
    if(rc)rc.textContent=redo+" marked Redo";
  }
  function count(){var t={};order.forEach(function(k){var s=byKey[k].status;t[s]=(t[s]||0)+1;});return t;}
  function readHash(){var p=new URLSearchParams(location.hash.slice(1));state.status=p.get("status")||"all";state.mark=p.get("mark")||"all";state.q=(p.get("q")||"").toLowerCase();
    var q=document.getElementById("q");if(q.value.trim().toLowerCase()!==state.q)q.value=p.get("q")||"";}
  function writeHash(){var p=new URLSearchParams();if(state.status!=="all")p.set("status",state.status);if(state.mark!=="all")p.set("mark",state.mark);if(state.q)p.set("q",state.q);
    var h=p.toString();if(("#"+h)!==location.hash&&!(h===""&&location.hash===""))history.replaceState(null,"",h?"#"+h:location.pathname+location.search);}
  function select(key){
    var i=order.indexOf(key);if(i<0)return;
    if(current>=0&&els[order[current]]){var old=els[order[current]];old.classList.remove("current");var ov=old.querySelector("video");if(ov&&!ov.paused)ov.pause();}
    current=i;var f=els[key];f.classList.add("current");
    f.scrollIntoView({block:"nearest"});var v=f.querySelector("video");if(v){load(v);var p=v.play();if(p&&p.catch)p.catch(function(){});}
  }
  function step(d){var vis=visible();if(!vis.length)return;var at=current>=0?vis.indexOf(order[current]):-1;
    var next=at<0?(d>0?0:vis.length-1):Math.min(vis.length-1,Math.max(0,at+d));select(vis[next]);}
  var problem=document.getElementById("problem");
  function save(key,change){
    if(!live)return;var body={key:key};if("mark" in change)body.mark=change.mark;if("note" in change)body.note=change.note;
    fetch("/api/marks",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(body)})
      .then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error(j.error||("HTTP "+r.status));return j;});})
      .then(function(j){var c=byKey[key];if(!c)return;c.mark=j.mark;c.note=j.note;put(Object.assign({},c));problem.textContent="";apply();})
      .catch(function(e){problem.textContent="Not saved: "+e.message;});
  }
  function markCurrent(mark){if(!live||current<0)return;var key=order[current];save(key,{mark:mark});if(mark)step(1);}
  document.addEventListener("keydown",function(e){
    var t=e.target&&e.target.tagName;
    if(t==="TEXTAREA"||t==="INPUT"){if(e.key==="Escape")e.target.blur();return;}
    if(e.ctrlKey||e.metaKey||e.altKey)return;
    var k=e.key;
    if(k==="ArrowRight"||k==="n"){step(1);e.preventDefault();}
    else if(k==="ArrowLeft"||k==="p"){step(-1);e.preventDefault();}
    else if(k==="k")markCurrent("keep");
    else if(k==="r")markCurrent("redo");
    else if(k==="u")markCurrent(null);
    else if(k==="e"&&current>=0){var ta=els[order[current]].querySelector("textarea");if(ta){ta.focus();e.preventDefault();}}
    else if(k===" "&&current>=0){var v=els[order[current]].querySelector("video");if(v){if(v.paused)v.play();else v.pause();e.preventDefault();}}
    else if(k==="?"){var h=document.getElementById("help");h.hidden=!h.hidden;}
  });
  document.querySelectorAll("button[data-status]").forEach(function(b){b.addEventListener("click",function(){state.status=b.dataset.status;writeHash();apply();});});
  document.querySelectorAll("button[data-filter-mark]").forEach(function(b){b.addEventListener("click",function(){state.mark=state.mark===b.dataset.filterMark?"all":b.dataset.filterMark;writeHash();apply();});});
  document.getElementById("q").addEventListener("input",function(e){state.q=e.target.value.trim().toLowerCase();writeHash();apply();});
  window.addEventListener("hashchange",function(){readHash();apply();});
  document.getElementById("export").addEventListener("click",function(){
    var q=function(s){s=String(s);if(/^[=+\-@\t\r]/.test(s))s="'"+s;return /[",\r\n]/.test(s)?'"'+s.replace(/"/g,'""')+'"':s;};
    var lines=["id,line,mark,note"].concat(order.map(function(k){return byKey[k];}).filter(function(c){return c.mark||c.note;}).map(function(c){return [c.id,c.line,c.mark||"",c.note||""].map(q).join(",");}));
    var a=document.createElement("a");a.href=URL.createObjectURL(new Blob(["\ufeff"+lines.join("\r\n")+"\r\n"],{type:"text/csv"}));a.download=data.name+".marks.csv";document.body.appendChild(a);a.click();a.remove();
  });
  var copy=document.getElementById("copy-redo");
  if(copy)copy.addEventListener("click",function(){var text=document.getElementById("redo-cmd").textContent;
    var done=function(){copy.textContent="Copied";setTimeout(function(){copy.textContent="Copy the redo command";},1500);};
    if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(text).then(done,function(){problem.textContent="Select the command and copy it";});
    else{var r=document.createRange();r.selectNodeContents(document.getElementById("redo-cmd"));var s=getSelection();s.removeAllRanges();s.addRange(r);problem.textContent="Press Ctrl+C to copy the selected command";}});
  cards.forEach(put);setOrder(cards.map(function(c){return c.key;}));readHash();apply();
  if(live){
    var busy=false;
    setInterval(function(){if(busy)return;busy=true;
      fetch("/api/cards?since="+encodeURIComponent(cursor)).then(function(r){if(!r.ok)throw new Error("HTTP "+r.status);return r.json();})
        .then(function(j){cursor=j.cursor;j.cards.forEach(put);setOrder(j.keys);data.spent=j.spent;data.time=j.time;data.written=j.written;
          document.getElementById("live").textContent=j.running?"● a run is writing this batch: cards fill in as clips finish":"";apply();})
        .catch(function(){document.getElementById("live").textContent="The review server stopped: reload once it runs again";})
        .then(function(){busy=false;});},2000);
  }
})();`;
