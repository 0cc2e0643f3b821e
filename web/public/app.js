// 信用信息公示: the public page. Plain links and a GET form (no client routing): every view is a URL
// (?q= search, ?code= subject, ?code=&record= record), so back, bookmarks and screen readers just work.
// Data is put in the page with textContent only, never as HTML.

const api = `${location.pathname.replace(/[^/]*$/, '')}v1/`;
const params = new URLSearchParams(location.search);
const content = document.getElementById('content');
const statusLine = document.getElementById('status');
const title = document.getElementById('page-title');

/** Builds an element; attributes as an object, children as nodes or text. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const subjectHref = (code) => `./?code=${encodeURIComponent(code)}`;
const recordHref = (code, id) => `./?code=${encodeURIComponent(code)}&record=${encodeURIComponent(id)}`;
const dateText = (value) => (value === null || value === undefined ? '长期' : value);

function setTitle(text) {
  title.textContent = text;
  document.title = `${text} - 信用信息公示`;
}

function setBreadcrumb(items) {
  const list = document.getElementById('breadcrumb');
  list.replaceChildren(
    ...items.map((item, index) =>
      el(
        'li',
        {},
        index === items.length - 1
          ? el('a', { href: item.href, 'aria-current': 'page' }, item.text)
          : el('a', { href: item.href }, item.text),
      ),
    ),
  );
}

async function getJson(path) {
  const response = await fetch(api + path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw Object.assign(new Error(body.detail ?? response.statusText), {
      status: response.status,
      code: body.code,
    });
  return body;
}

function showError(error) {
  const messages = {
    SUBJECT_NOT_FOUND: '未找到该主体的公示信息。',
    RECORD_NOT_FOUND: '该信息不存在或已不再公示（已撤销、已修复或超过公示期限）。',
    INVALID_SUBJECT_CODE: '请输入正确的18位统一社会信用代码或工商注册号。',
    INVALID_QUERY: '请输入至少2个字符的代码或主体全称。',
  };
  const text = messages[error.code] ?? '查询服务暂时不可用，请稍后再试。';
  content.replaceChildren(el('p', { class: 'error', role: 'alert' }, text));
  statusLine.textContent = '';
}

function field(label, value) {
  if (value === undefined || value === null || value === '') return [];
  return [el('dt', {}, label), el('dd', {}, value)];
}

function objectionBadge(record) {
  return record.underObjection
    ? el('span', { class: 'badge objection' }, record.notice ?? '异议处理中')
    : null;
}

function natureBadge(nature) {
  if (nature === '黑名单') return el('span', { class: 'badge black' }, '黑名单');
  if (nature === '红名单') return el('span', { class: 'badge red' }, '红名单');
  return el('span', { class: 'badge' }, '名单');
}

function table(caption, headings, rows, empty) {
  if (rows.length === 0) return el('p', {}, empty);
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headings.map((heading) => el('th', { scope: 'col' }, heading)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((cells) =>
        el(
          'tr',
          {},
          cells.map((cell) => el('td', {}, cell)),
        ),
      ),
    ),
  );
}

async function renderSearch(query) {
  document.getElementById('q').value = query;
  // The query stays in the search box only: a typed ID number is not repeated in the title or history.
  setTitle('查询结果');
  setBreadcrumb([
    { text: '首页', href: './' },
    { text: '查询结果', href: `./?q=${encodeURIComponent(query)}` },
  ]);
  const { results } = await getJson(`subjects?q=${encodeURIComponent(query)}`);
  statusLine.textContent = `找到 ${results.length} 个主体`;
  if (results.length === 0) {
    content.replaceChildren(el('p', {}, '未找到公示信息。请核对统一社会信用代码或主体全称。'));
    return;
  }
  content.replaceChildren(
    el(
      'ul',
      { class: 'results', 'aria-label': '查询结果' },
      results.map((subject) =>
        el(
          'li',
          {},
          el('a', { href: subjectHref(subject.code) }, subject.name),
          el('span', { class: 'code' }, `${subject.codeType}：${subject.code}（${subject.kindLabel}）`),
        ),
      ),
    ),
  );
}

function listSection(page) {
  const { listStatus, listEntries, subject } = page;
  const summary =
    listStatus.listed === 0
      ? '未列入红黑名单。'
      : `列入黑名单 ${listStatus.black} 条，红名单 ${listStatus.red} 条。${
          listStatus.underObjection > 0 ? `其中 ${listStatus.underObjection} 条异议处理中。` : ''
        }`;
  return el(
    'section',
    { 'aria-labelledby': 'lists-heading' },
    el('h2', { id: 'lists-heading' }, '红黑名单状态'),
    el('p', { class: 'status-summary' }, summary),
    table(
      '列入的名单',
      ['名单', '性质', '列入日期', '有效期至', '认定部门', '状态'],
      listEntries.map((entry) => [
        el('a', { href: recordHref(subject.code, entry.id) }, entry.listTypeName ?? entry.listTypeCode),
        natureBadge(entry.nature),
        entry.listedOn,
        dateText(entry.validUntil),
        entry.decidingDepartment,
        objectionBadge(entry) ?? '公示中',
      ]),
      '',
    ),
  );
}

function penaltySection(page) {
  return el(
    'section',
    { 'aria-labelledby': 'penalties-heading' },
    el('h2', { id: 'penalties-heading' }, `行政处罚（${page.penalties.length}）`),
    table(
      '公示期内的行政处罚',
      ['决定书文号', '处罚类别', '处罚决定日期', '处罚机关', '状态'],
      page.penalties.map((penalty) => [
        el('a', { href: recordHref(page.subject.code, penalty.id) }, penalty.documentNumber),
        penalty.categories.join('、'),
        penalty.decisionDate,
        penalty.issuer.name,
        objectionBadge(penalty) ?? '公示中',
      ]),
      '无公示期内的行政处罚信息。',
    ),
  );
}

function licenceSection(page) {
  return el(
    'section',
    { 'aria-labelledby': 'licences-heading' },
    el('h2', { id: 'licences-heading' }, `行政许可（${page.licences.length}）`),
    table(
      '有效的行政许可',
      ['许可决定文书', '许可证书名称', '许可编号', '有效期至', '许可机关', '状态'],
      page.licences.map((licence) => [
        el('a', { href: recordHref(page.subject.code, licence.id) }, licence.documentNumber),
        licence.certificateName ?? '',
        licence.licenceNumber ?? '',
        dateText(licence.validUntil),
        licence.issuer.name,
        objectionBadge(licence) ?? '有效',
      ]),
      '无有效的行政许可信息。',
    ),
  );
}

async function renderSubject(code) {
  const page = await getJson(`subjects/${encodeURIComponent(code)}`);
  const { subject } = page;
  setTitle(subject.name);
  setBreadcrumb([
    { text: '首页', href: './' },
    { text: subject.name, href: subjectHref(subject.code) },
  ]);
  statusLine.textContent = `已载入 ${subject.name} 的公示信息`;
  content.replaceChildren(
    el(
      'dl',
      { class: 'fields' },
      field(subject.codeType, subject.code),
      field('主体类别', subject.kindLabel),
    ),
    listSection(page),
    penaltySection(page),
    licenceSection(page),
  );
}

function penaltyFields(record) {
  return [
    field('行政处罚决定书文号', record.documentNumber),
    field('违法行为类型', record.violationType),
    field('违法事实', record.facts),
    field('处罚依据', record.basis),
    field('处罚类别', record.categories.join('、')),
    field('处罚内容', record.content),
    field('罚款金额（万元）', record.fineAmount),
    field('没收违法所得、没收非法财物的金额（万元）', record.confiscatedAmount),
    field('暂扣或吊销证照名称及编号', record.suspendedLicence),
    field('处罚决定日期', record.decisionDate),
    field('处罚有效期', dateText(record.validUntil)),
    field('公示截止期', record.displayUntil),
    field('法定代表人', record.legalRepresentative),
    field('处罚机关', record.issuer.name),
    field('处罚机关统一社会信用代码', record.issuer.code),
    field('数据来源单位', record.sourceName),
    field('备注', record.remarks),
  ];
}

function licenceFields(record) {
  return [
    field('行政许可决定文书名称', record.documentName),
    field('行政许可决定文书号', record.documentNumber),
    field('许可类别', record.licenceCategory),
    field('许可证书名称', record.certificateName),
    field('许可编号', record.licenceNumber),
    field('许可内容', record.content),
    field('许可决定日期', record.decisionDate),
    field('有效期自', record.validFrom),
    field('有效期至', dateText(record.validUntil)),
    field('法定代表人', record.legalRepresentative),
    field('许可机关', record.issuer.name),
    field('许可机关统一社会信用代码', record.issuer.code),
    field('数据来源单位', record.sourceName),
    field('备注', record.remarks),
  ];
}

function listEntryFields(record) {
  return [
    field('名单', record.listTypeName ?? record.listTypeCode),
    field('名单性质', record.nature),
    field('列入日期', record.listedOn),
    field('有效期至', dateText(record.validUntil)),
    field('认定部门', record.decidingDepartment),
    field('认定依据', record.basis),
    field('列入原因', record.reason),
    field('案号', record.caseNumber),
    field('生效法律文书确定的义务', record.obligation),
  ];
}

const recordKinds = {
  penalty: { heading: (r) => `行政处罚决定 ${r.documentNumber}`, crumb: '行政处罚', fields: penaltyFields },
  licence: { heading: (r) => `行政许可决定 ${r.documentNumber}`, crumb: '行政许可', fields: licenceFields },
  'list-entry': {
    heading: (r) => `${r.nature ?? '名单'}：${r.listTypeName ?? r.listTypeCode}`,
    crumb: '红黑名单',
    fields: listEntryFields,
  },
};

async function renderRecord(code, id) {
  const { subject, record } = await getJson(
    `subjects/${encodeURIComponent(code)}/records/${encodeURIComponent(id)}`,
  );
  const kind = recordKinds[record.kind];
  setTitle(kind.heading(record));
  setBreadcrumb([
    { text: '首页', href: './' },
    { text: subject.name, href: subjectHref(subject.code) },
    { text: kind.crumb, href: recordHref(subject.code, record.id) },
  ]);
  statusLine.textContent = '已载入公示信息';
  content.replaceChildren(
    record.underObjection
      ? el('p', { class: 'notice' }, `${record.notice ?? '异议处理中'}：该信息存在尚未办结的异议申请。`)
      : '',
    el(
      'p',
      {},
      '主体：',
      el('a', { href: subjectHref(subject.code) }, subject.name),
      `（${subject.codeType} ${subject.code}）`,
    ),
    el('dl', { class: 'fields' }, kind.fields(record)),
  );
}

async function route() {
  const query = params.get('q');
  const code = params.get('code');
  const record = params.get('record');
  if (!query && !code) {
    document.body.dataset.view = 'home';
    document.body.dataset.ready = 'true';
    return;
  }
  content.setAttribute('aria-busy', 'true');
  statusLine.textContent = '正在查询…';
  try {
    if (code && record) await renderRecord(code, record);
    else if (code) await renderSubject(code);
    else await renderSearch(query);
  } catch (error) {
    showError(error);
  } finally {
    content.removeAttribute('aria-busy');
    document.body.dataset.view = code && record ? 'record' : code ? 'subject' : 'search';
    document.body.dataset.ready = 'true';
  }
}

route();
