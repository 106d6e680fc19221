// The "Data sources" panel (a <details> in the controls, closed by default):
// lists the store's sources (GET /api/sources, asked only once the panel is
// opened), and lets an editor add one (POST, multipart/form-data), replace
// one (PUT /api/sources/{id}) or withdraw one (DELETE, after a confirm
// step). The editor's token lives in sessionStorage only: never in the URL,
// never in localStorage. After a change `onChanged` redraws the map.
import { keepToken, readToken, sourcesRequest } from './api.js';
import { formatCount } from './format.js';
import { el, reportView, sourceItem, withdrawConfirm } from './source-view.js';

const $ = (id) => document.getElementById(id);

// "HTTP 401 (unauthorized): The token is not known" — the server's words.
const refusal = (what, answer) => `${what} was refused — HTTP ${answer.status}${answer.code ? ` (${answer.code})` : ''}: ${answer.message}`;

export class SourcesPanel {
  constructor({ onChanged = async () => {} } = {}) {
    this.onChanged = onChanged;
    this.sources = [];
    this.loaded = false;
    this.busy = false;
    this.root = $('sources');
    this.form = $('source-form');
    this.token = $('source-token');
    this.token.value = readToken();
    this.token.addEventListener('input', () => keepToken(this.token.value.trim()));
    $('source-forget').addEventListener('click', () => {
      this.token.value = '';
      keepToken('');
      this.token.focus();
    });
    // Asked only when someone opens the panel: most viewers never do.
    this.root.addEventListener('toggle', () => { if (this.root.open && !this.loaded) this.refreshList(); });
    $('sources-withdrawn').addEventListener('change', () => this.refreshList());
    $('source-target').addEventListener('change', () => this.chooseTarget($('source-target').value));
    $('source-cancel').addEventListener('click', () => {
      this.chooseTarget('');
      for (const id of ['source-name', 'source-licence', 'source-options']) $(id).value = '';
    });
    $('sources-list').addEventListener('click', (event) => this.onListClick(event));
    this.form.addEventListener('submit', (event) => { event.preventDefault(); this.upload(); });
  }

  status(text) {
    $('sources-status').textContent = text;
  }

  async refreshList() {
    const withdrawn = $('sources-withdrawn').checked;
    this.status('Loading the sources…');
    let answer;
    try {
      answer = await sourcesRequest(`/api/sources${withdrawn ? '?withdrawn=true' : ''}`);
    } catch (err) {
      this.status(err.message);
      return;
    }
    this.loaded = true;
    if (answer.status === 404) {
      // No store: nothing to list or upload to.
      this.sources = [];
      $('sources-list').replaceChildren();
      this.form.hidden = true;
      $('sources-withdrawn').parentElement.hidden = true;
      this.status(`No source store is configured on this server. ${answer.message}`);
      return;
    }
    if (!answer.ok) {
      this.status(refusal('Listing the sources', answer));
      return;
    }
    this.sources = answer.body.sources;
    $('sources-list').replaceChildren(...this.sources.map(sourceItem));
    this.form.hidden = false;
    const live = this.sources.filter((s) => !s.withdrawn_at);
    const rows = live.reduce((sum, s) => sum + (s.rows ? s.rows.stored : 0), 0);
    this.status(`${formatCount(live.length)} ${live.length === 1 ? 'source' : 'sources'} in the store, ${formatCount(rows)} incidents stored.`);
    this.fillTargets();
  }

  fillTargets() {
    const select = $('source-target');
    const chosen = select.value;
    const live = this.sources.filter((s) => !s.withdrawn_at);
    select.replaceChildren(el('option', { value: '' }, 'A new source'),
      ...live.map((s) => el('option', { value: String(s.id) }, `Replace: ${s.name}`)));
    this.chooseTarget(live.some((s) => String(s.id) === chosen) ? chosen : '');
  }

  // '' for a new source, or the id of the source a new file replaces: its
  // kind, name, licence and options are filled in from the store.
  chooseTarget(id) {
    const source = this.sources.find((s) => String(s.id) === String(id));
    $('source-target').value = source ? String(source.id) : '';
    $('source-form-title').textContent = source ? `Replace “${source.name}”` : 'Add a source';
    $('source-submit').textContent = source ? 'Replace the source' : 'Upload';
    $('source-cancel').hidden = !source;
    if (source) {
      $('source-kind').value = source.kind;
      $('source-name').value = source.name;
      $('source-licence').value = source.licence || '';
      $('source-options').value = source.options || '';
    }
  }

  onListClick(event) {
    const button = event.target.closest('button[data-act]');
    const item = button && button.closest('.source-item');
    if (!item) return;
    const source = this.sources.find((s) => String(s.id) === item.dataset.id);
    if (!source) return;
    const act = button.dataset.act;
    if (act === 'replace') {
      this.chooseTarget(source.id);
      this.showResult([]);
      this.form.scrollIntoView({ block: 'nearest' });
      $('source-file').focus();
    } else if (act === 'withdraw') {
      item.querySelector('.source-confirm')?.remove();
      const confirm = withdrawConfirm(source);
      item.append(confirm);
      confirm.querySelector('[data-act="confirm-withdraw"]').focus();
    } else if (act === 'cancel-withdraw') {
      item.querySelector('.source-confirm').remove();
      item.querySelector('[data-act="withdraw"]').focus();
    } else if (act === 'confirm-withdraw') {
      this.withdraw(source, item);
    }
  }

  async withdraw(source, item) {
    const problem = item.querySelector('.source-error');
    const token = this.token.value.trim();
    if (!token) {
      problem.textContent = 'Paste an editor token in “Editor token” below first.';
      this.token.focus();
      return;
    }
    if (this.busy) return;
    this.busy = true;
    problem.textContent = 'Withdrawing…';
    try {
      const answer = await sourcesRequest(source.url || `/api/sources/${source.id}`, { method: 'DELETE', token });
      if (!answer.ok) {
        problem.textContent = refusal('Withdrawing', answer);
        return;
      }
      const snapshot = answer.body.snapshot || {};
      await this.refreshList();
      this.status(`Withdrew “${source.name}”.${snapshot.served ? ` The map now serves ${formatCount(snapshot.incidents)} incidents.` : ''} ${$('sources-status').textContent}`);
      $('sources-status').focus();
      await this.onChanged();
    } catch (err) {
      problem.textContent = err.message;
    } finally {
      this.busy = false;
    }
  }

  showResult(parts, { error = false } = {}) {
    const box = $('source-result');
    box.classList.toggle('failed', error);
    box.replaceChildren(...parts.flat(2));
  }

  // Which fields are missing, in words, with the first one focused.
  check(fields) {
    for (const [input] of fields) input.removeAttribute('aria-invalid');
    const missing = fields.filter(([input]) => (input.type === 'file' ? !input.files.length : !input.value.trim()));
    for (const [input] of missing) input.setAttribute('aria-invalid', 'true');
    if (missing.length) missing[0][0].focus();
    return missing.map(([, words]) => words);
  }

  async upload() {
    if (this.busy) return;
    const file = $('source-file');
    const missing = this.check([[this.token, 'an editor token'], [file, 'a file'], [$('source-name'), 'a name']]);
    if (missing.length) {
      this.showResult([el('p', {}, `Give ${missing.join(', ')} first.`)], { error: true });
      return;
    }
    const id = $('source-target').value;
    const form = new FormData();
    form.append('kind', $('source-kind').value);
    form.append('name', $('source-name').value.trim());
    if ($('source-licence').value.trim()) form.append('licence', $('source-licence').value.trim());
    for (const [key, value] of new URLSearchParams($('source-options').value.trim())) form.append(key, value);
    form.append('file', file.files[0], file.files[0].name);
    const what = id ? 'The replacement' : 'The upload';
    this.busy = true;
    $('source-submit').disabled = true;
    this.showResult([el('p', {}, `${id ? 'Replacing' : 'Uploading'} ${file.files[0].name}… large files take a while.`)]);
    try {
      const answer = await sourcesRequest(id ? `/api/sources/${id}` : '/api/sources',
        { method: id ? 'PUT' : 'POST', token: this.token.value.trim(), body: form });
      if (!answer.ok) {
        const report = answer.body && answer.body.error && answer.body.error.report;
        this.showResult([el('p', { className: 'source-error' }, refusal(what, answer)), report ? reportView(report) : []], { error: true });
        return;
      }
      const { source, report, snapshot } = answer.body;
      this.showResult([el('p', {}, el('strong', {}, `${id ? 'Replaced' : 'Stored'} “${source.name}”.`)), reportView(report, snapshot)]);
      file.value = '';
      await this.refreshList();
      this.chooseTarget('');
      await this.onChanged();
    } catch (err) {
      this.showResult([el('p', { className: 'source-error' }, err.message)], { error: true });
    } finally {
      this.busy = false;
      $('source-submit').disabled = false;
    }
  }
}
