// The report page's script: the index's filters (verdict, stop reason, id), and a task's grids
// built from the page's data (the JSON in #arc-tasks, read at the first opening) when its row is
// opened. Links: report.html?filter=unsolved&stop=budget&q=00d&open=ID,ID (or open=all; also
// after #). Nothing is fetched.
(() => {
  const rows = [...document.querySelectorAll('tr.task')];
  const buttons = [...document.querySelectorAll('.filters button')];
  const stop = document.getElementById('stop'), search = document.getElementById('q');
  const shown = document.getElementById('shown');
  let data = null;
  const tasks = () => data || (data = JSON.parse(document.getElementById('arc-tasks').textContent));
  const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  // A grid is its rows of digits joined by '|'.
  const dims = g => { const r = g.split('|'); return [r.length, r[0].length]; };

  function grid(g, what, truth) {
    const rs = g.split('|'), h = rs.length, w = rs[0].length;
    const t = truth ? truth.split('|') : null;
    const same = t && t.length === h && t[0].length === w;
    const out = [`<div class="grid${t && !same ? ' wrong-shape' : ''}" data-grid="${what}" data-rows="${h}" data-cols="${w}" style="grid-template-columns: repeat(${w}, 12px)">`];
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const v = rs[r][c];
        out.push(`<div class="cell c${v}${same && t[r][c] !== v ? ' wrong' : ''}"></div>`);
      }
    }
    out.push('</div>');
    return out.join('');
  }

  function figure(caption, g, what, truth, verdict) {
    const [h, w] = dims(g);
    return `<figure><figcaption>${caption} ${h}×${w}${verdict || ''}</figcaption>${grid(g, what, truth)}</figure>`;
  }

  function detail(id) {
    const t = tasks()[id];
    const answers = t.answers.length ? t.answers : [t.answer ?? '(none)'];
    let s = `<div class="meta">${answers.length > 1 ? `${answers.length} answers, best first:` : 'answer'} ` + answers.map(a => `<code>${esc(a)}</code>`).join(' ');
    if (t.fault) s += ` · FAULT: ${esc(t.fault)}`;
    s += '</div>';
    if (!t.train) return s + "<p>(the task's grids are not in the dataset any more)</p>";
    s += '<div class="row">' + t.train.map(([i, o], k) =>
      `<div class="pair">${figure(`demo ${k} input`, i, 'demo-input')}${figure('output', o, 'demo-output')}</div>`).join('') + '</div>';
    t.test.forEach(([input, truth, attempts], k) => {
      s += `<div class="row">${figure(`test ${k} input`, input, 'test-input')}`;
      if (truth) s += figure('truth', truth, 'truth');
      if (!attempts.length) s += '<figure><figcaption>no attempt</figcaption></figure>';
      attempts.forEach((a, n) => {
        const verdict = truth == null ? '' : a === truth ? ' <span class="verdict-correct">right</span>' : ' <span class="verdict-wrong">wrong</span>';
        s += figure(`attempt ${n + 1}`, a, 'attempt', truth, verdict);
      });
      s += '</div>';
    });
    return s;
  }

  function toggle(tr, open) {
    const next = tr.nextElementSibling;
    const isOpen = !!next && next.classList.contains('detail');
    if (open === undefined) open = !isOpen;
    if (open && !isOpen) {
      const d = document.createElement('tr');
      d.className = 'detail';
      d.innerHTML = `<td colspan="${tr.cells.length}">${detail(tr.dataset.id)}</td>`;
      tr.after(d);
    } else if (!open && isOpen) {
      next.remove();
    }
    tr.classList.toggle('open', open);
    tr.setAttribute('aria-expanded', open);
  }

  let verdict = 'all';
  function apply() {
    const q = search.value.trim().toLowerCase(), s = stop.value;
    let n = 0;
    for (const tr of rows) {
      const show = (verdict === 'all' || tr.dataset.status === verdict) && (!s || tr.dataset.stop === s) && tr.dataset.id.toLowerCase().includes(q);
      tr.hidden = !show;
      if (tr.classList.contains('open')) tr.nextElementSibling.hidden = !show;
      n += show;
    }
    shown.textContent = `${n} of ${rows.length} tasks shown`;
  }
  function setVerdict(which) {
    verdict = buttons.some(b => b.dataset.filter === which) ? which : 'all';
    buttons.forEach(b => b.classList.toggle('on', b.dataset.filter === verdict));
    apply();
  }

  buttons.forEach(b => b.addEventListener('click', () => setVerdict(b.dataset.filter)));
  stop.addEventListener('change', apply);
  search.addEventListener('input', apply);
  document.querySelector('table.tasks').addEventListener('click', e => {
    const tr = e.target.closest('tr.task');
    if (tr) toggle(tr);
  });
  document.querySelector('table.tasks').addEventListener('keydown', e => {
    const tr = e.target.closest('tr.task');
    if (tr && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(tr); }
  });

  const params = new URLSearchParams(location.search + '&' + location.hash.slice(1));
  if (params.get('stop')) stop.value = params.get('stop');
  if (params.get('q')) search.value = params.get('q');
  setVerdict(params.get('filter') || 'all');
  const open = (params.get('open') || '').split(',').filter(Boolean);
  for (const tr of rows) {
    if (!tr.hidden && (open.includes('all') || open.includes(tr.dataset.id))) toggle(tr, true);
  }
})();
