/**
 * The shift lead's dashboard in English and Simplified Chinese. Every label on the dashboard is a
 * key here; `zhCN` must have exactly the keys of `en` (the type says so, a test checks the
 * placeholders too). Placeholders are `{name}`, filled from the values given.
 * The choice is remembered in the browser (localStorage), per console.
 */
import { create } from 'zustand';

export const en = {
  'dashboard.title': 'Flight clearance',
  'dashboard.open': 'Open flight dashboard',
  'dashboard.close': 'Open screening',
  'dashboard.updated': 'Board at {time}',
  'dashboard.waiting': 'Waiting for the flight board…',
  'dashboard.noFlights': 'No flights on the board: arrivals appear here from 6 hours before on-block.',
  'dashboard.flights': 'Flights',
  'lang.label': 'Language',

  'flight.from': 'from {origin}',
  'flight.stand': 'stand {stand}',
  'flight.onBlock': 'on block {time}',
  'flight.onBlockAssumed': 'expected on block {time}',
  'flight.open': 'Bags and report',
  'flight.cancelled': 'Cancelled',

  'clock.passengers': 'Passengers',
  'clock.checkedBags': 'Checked bags',
  'clock.progress': '{done} of {total}',
  'clock.deadline': 'target {time} ({minutes} min)',
  'clock.left': '{time} left',
  'clock.over': '{time} over',
  'clock.startsIn': 'starts in {time}',
  'clock.projected': 'projected {time} ({early}–{late})',
  'clock.projectedNever': 'not finishing at this rate',
  'clock.rate': '{rate}/min',
  'clock.clearedAt': 'cleared {time} in {minutes} min',
  'clock.noProjection': 'too few done to project',
  'clock.latestNever': 'never',

  'state.arriving': 'Arriving',
  'state.in-progress': 'In progress',
  'state.at-risk': 'At risk',
  'state.breached': 'Breached',
  'state.cleared': 'Cleared',
  'state.clearedLate': 'Cleared late',

  'chart.checkedBags': 'Checked bags remaining',
  'chart.passengers': 'Passengers remaining',
  'chart.remaining': 'Remaining',
  'chart.projection': 'Projection',
  'chart.band': '80 % band',
  'chart.target': 'Target',

  'officers.title': 'Officers',
  'officers.none': 'No screening officer signed in or deciding in the last hour.',
  'officers.name': 'Officer',
  'officers.state': 'Status',
  'officers.lastHour': 'Bags, 1 h',
  'officers.onScreen': 'On screen',
  'officers.break': 'Break',
  'officers.breakDue': 'Break due',
  'officers.breakAt': 'at {time}',
  'officers.rule': 'A break is due after {minutes} min at the screen; {rest} min away resets it.',
  'officer.available': 'Available',
  'officer.screening': 'Screening',
  'officer.on-break': 'On break',
  'officer.signed-out': 'Signed out',

  'lanes.title': 'Queue per lane',
  'lanes.none': 'No bags waiting.',
  'lanes.lane': 'Lane',
  'lanes.waiting': 'Waiting',
  'lanes.oldest': 'Oldest wait',
  'lanes.summary': '{count} waiting · {free} of {signedIn} officers free',

  'alerts.title': 'Alerts',
  'alerts.none': 'No alerts.',
  'alert.at-risk': '{flight} {clock}: at risk',
  'alert.breached': '{flight} {clock}: target missed',
  'alert.break-due': '{name}: break due',

  'staffing.title': 'Staffing advice',
  'staffing.none': 'No flight in progress needs advice.',
  'staffing.advice': 'officers on screens: {officers}, lanes: {lanes}',
  'staffing.impossible': 'No crew finishes on target now',
  'staffing.signedIn': 'Screening officers signed in now: {count}',
  'staffing.reasoning': 'Reasoning (Erlang C queue)',

  'detail.back': 'All flights',
  'detail.bags': 'Bags',
  'detail.report': 'Report',
  'detail.loading': 'Loading…',
  'detail.failed': 'Could not load: {error}',
  'detail.refresh': 'Refresh',
  'detail.count': 'Bags: {count}',
  'detail.truncated': 'Only the first {count} bags are listed.',
  'detail.noBags': 'No bag of this flight has reached screening yet.',

  'bag.tag': 'Bag tag',
  'bag.kind': 'Kind',
  'bag.lane': 'Lane',
  'bag.state': 'Status',
  'bag.officer': 'Officer',
  'bag.received': 'Scanned',
  'bag.decided': 'Decided',
  'bag.checked': 'Checked',
  'bag.cabin': 'Cabin',
  'bag.timeLimit': 'time limit',
  'bagState.waiting': 'Waiting for an officer',
  'bagState.screening': 'On screen',
  'bagState.cleared': 'Cleared',
  'bagState.search': 'Sent to search',
  'bagState.searched': 'Searched',

  'report.title': 'Flight report {flight}',
  'report.final': 'Final report',
  'report.provisional': 'Not cleared yet: the story so far',
  'report.generated': 'made {time}',
  'report.exportCsv': 'Export CSV',
  'report.print': 'Print',
  'report.summary': 'On block {time}, {passengers} passengers, {checked} checked bags declared',
  'report.clock': 'Time to clear',
  'report.clearedIn': '{minutes} min against a target of {target}',
  'report.late': 'late',
  'report.notCleared': 'not cleared: {done} of {total}, deadline {time}',
  'report.bags': 'Bags seen: {total} ({cleared} cleared, {searched} sent to search, {open} not decided)',
  'report.throughput': 'Throughput per 5 minutes',
  'report.from': 'From',
  'report.arrived': 'Arrived',
  'report.decided': 'Decided',
  'report.perMin': 'Per min',
  'report.officers': 'Officers',
  'report.checkedLeft': 'Checked left',
  'report.cabinLeft': 'Cabin left',
  'report.wait': 'Mean wait',
  'report.timeline': 'Timeline',
  'report.breaches': 'Breaches and likely causes',
  'report.noBreach': 'No breach: both targets met.',
  'report.noBreachYet': 'No breach so far.',
  'report.breach': '{clock}: deadline {time}, {late} min late, {left} left at the deadline',
  'report.causes': 'Likely causes',
  'report.noCauses': 'Nothing in the data explains it.',

  'timeline.scheduled': 'Scheduled on block, from {origin} ({aircraft})',
  'timeline.delay': 'New estimate: on block {time}',
  'timeline.stand': 'Stand changed to {stand}',
  'timeline.on-block': 'On block: the clocks start',
  'timeline.cancelled': 'Cancelled {reason}',
  'timeline.first-bag': 'First bag at screening ({lane})',
  'timeline.last-bag': 'Last bag at screening ({lane})',
  'timeline.at-risk': '{clock}: at risk',
  'timeline.on-track': '{clock}: back on track',
  'timeline.breached': '{clock}: target of {target} min missed, {remaining} left',
  'timeline.cleared': '{clock}: cleared in {minutes} min (target {target})',

  'cause.understaffed': 'Understaffed {from}–{to}: {perMin} bags/min needed {needed} officers at {secondsPerItem} s per bag; officers deciding: {officers}',
  'cause.slow-decisions': 'Slow decisions {from}–{to}: {perOfficerPerMin} bags/min per officer while bags waited ({expectedPerMin} expected at {secondsPerItem} s per bag)',
  'cause.lane-stopped': '{lane} stopped {from}–{to}: no bags for {minutes} min while other lanes ran',
  'cause.lane-stoppedEnd': '{lane} stopped at {from}: no more bags from it while other lanes ran',
  'cause.search-waiting': 'Bags waiting for search at the passengers\' deadline {time}: {count} of {searched} sent to search',
  'cause.late-checked': 'Checked bags that reached screening after the deadline {time}: {count} (last at {last})',
  'cause.late-cabin': 'Cabin bags that reached screening after the passengers\' deadline {time}: {count} (last at {last})',
  'cause.time-limit': 'Bags that ran out of decision time and went to search: {count}',
} as const;

export type LabelKey = keyof typeof en;

export const zhCN: Record<LabelKey, string> = {
  'dashboard.title': '航班通关',
  'dashboard.open': '打开航班看板',
  'dashboard.close': '打开判图工作台',
  'dashboard.updated': '看板时间 {time}',
  'dashboard.waiting': '正在等待航班看板…',
  'dashboard.noFlights': '看板上暂无航班：航班在上轮挡前 6 小时出现在这里。',
  'dashboard.flights': '航班',
  'lang.label': '语言',

  'flight.from': '来自 {origin}',
  'flight.stand': '机位 {stand}',
  'flight.onBlock': '上轮挡 {time}',
  'flight.onBlockAssumed': '预计上轮挡 {time}',
  'flight.open': '行李与报告',
  'flight.cancelled': '已取消',

  'clock.passengers': '旅客',
  'clock.checkedBags': '托运行李',
  'clock.progress': '{done} / {total}',
  'clock.deadline': '目标 {time}（{minutes} 分钟）',
  'clock.left': '剩余 {time}',
  'clock.over': '超时 {time}',
  'clock.startsIn': '{time} 后开始',
  'clock.projected': '预计 {time} 完成（{early}–{late}）',
  'clock.projectedNever': '按当前速度无法完成',
  'clock.rate': '每分钟 {rate}',
  'clock.clearedAt': '{time} 完成，用时 {minutes} 分钟',
  'clock.noProjection': '完成数量太少，无法预测',
  'clock.latestNever': '无法完成',

  'state.arriving': '即将到达',
  'state.in-progress': '进行中',
  'state.at-risk': '有超时风险',
  'state.breached': '已超时',
  'state.cleared': '已完成',
  'state.clearedLate': '超时完成',

  'chart.checkedBags': '剩余托运行李',
  'chart.passengers': '剩余旅客',
  'chart.remaining': '剩余',
  'chart.projection': '预测',
  'chart.band': '80% 区间',
  'chart.target': '目标',

  'officers.title': '安检员',
  'officers.none': '暂无判图员在岗，近一小时也无人判图。',
  'officers.name': '安检员',
  'officers.state': '状态',
  'officers.lastHour': '近 1 小时件数',
  'officers.onScreen': '连续判图',
  'officers.break': '休息',
  'officers.breakDue': '应休息',
  'officers.breakAt': '{time} 应休息',
  'officers.rule': '连续判图 {minutes} 分钟后应休息；离开 {rest} 分钟即重新计时。',
  'officer.available': '空闲',
  'officer.screening': '判图中',
  'officer.on-break': '休息中',
  'officer.signed-out': '已离线',

  'lanes.title': '各通道排队',
  'lanes.none': '没有等待判图的行李。',
  'lanes.lane': '通道',
  'lanes.waiting': '等待件数',
  'lanes.oldest': '最长等待',
  'lanes.summary': '等待 {count} 件 · 空闲安检员 {free} / {signedIn}',

  'alerts.title': '警报',
  'alerts.none': '暂无警报。',
  'alert.at-risk': '{flight} {clock}：有超时风险',
  'alert.breached': '{flight} {clock}：已超时',
  'alert.break-due': '{name}：应休息',

  'staffing.title': '人员配置建议',
  'staffing.none': '进行中的航班暂无需要调整的人员配置。',
  'staffing.advice': '判图员 {officers} 名，通道 {lanes} 条',
  'staffing.impossible': '现在任何人数都无法按时完成',
  'staffing.signedIn': '当前在岗判图员 {count} 名',
  'staffing.reasoning': '计算依据（Erlang C 排队模型）',

  'detail.back': '全部航班',
  'detail.bags': '行李',
  'detail.report': '报告',
  'detail.loading': '加载中…',
  'detail.failed': '无法加载：{error}',
  'detail.refresh': '刷新',
  'detail.count': '{count} 件行李',
  'detail.truncated': '仅列出前 {count} 件行李。',
  'detail.noBags': '该航班尚无行李到达安检。',

  'bag.tag': '行李牌号',
  'bag.kind': '类型',
  'bag.lane': '通道',
  'bag.state': '状态',
  'bag.officer': '安检员',
  'bag.received': '过机时间',
  'bag.decided': '判定时间',
  'bag.checked': '托运',
  'bag.cabin': '手提',
  'bag.timeLimit': '超时自动',
  'bagState.waiting': '等待判图',
  'bagState.screening': '判图中',
  'bagState.cleared': '已放行',
  'bagState.search': '待开包检查',
  'bagState.searched': '已开包检查',

  'report.title': '航班报告 {flight}',
  'report.final': '最终报告',
  'report.provisional': '尚未完成：截至目前的情况',
  'report.generated': '生成于 {time}',
  'report.exportCsv': '导出 CSV',
  'report.print': '打印',
  'report.summary': '上轮挡 {time}，旅客 {passengers} 人，申报托运行李 {checked} 件',
  'report.clock': '完成用时',
  'report.clearedIn': '{minutes} 分钟（目标 {target} 分钟）',
  'report.late': '超时',
  'report.notCleared': '未完成：{done} / {total}，截止 {time}',
  'report.bags': '已过机 {total} 件：放行 {cleared} 件，开包检查 {searched} 件，未判定 {open} 件',
  'report.throughput': '每 5 分钟处理量',
  'report.from': '开始',
  'report.arrived': '到达',
  'report.decided': '判定',
  'report.perMin': '每分钟',
  'report.officers': '安检员',
  'report.checkedLeft': '剩余托运',
  'report.cabinLeft': '剩余手提',
  'report.wait': '平均等待',
  'report.timeline': '时间线',
  'report.breaches': '超时及可能原因',
  'report.noBreach': '未超时：两项目标均已达成。',
  'report.noBreachYet': '目前尚未超时。',
  'report.breach': '{clock}：截止 {time}，超时 {late} 分钟，截止时剩余 {left}',
  'report.causes': '可能原因',
  'report.noCauses': '数据中未发现原因。',

  'timeline.scheduled': '计划上轮挡，来自 {origin}（{aircraft}）',
  'timeline.delay': '新的预计上轮挡时间 {time}',
  'timeline.stand': '机位变更为 {stand}',
  'timeline.on-block': '上轮挡：开始计时',
  'timeline.cancelled': '航班取消 {reason}',
  'timeline.first-bag': '第一件行李到达安检（{lane}）',
  'timeline.last-bag': '最后一件行李到达安检（{lane}）',
  'timeline.at-risk': '{clock}：有超时风险',
  'timeline.on-track': '{clock}：恢复正常',
  'timeline.breached': '{clock}：未达成 {target} 分钟目标，剩余 {remaining}',
  'timeline.cleared': '{clock}：用时 {minutes} 分钟完成（目标 {target} 分钟）',

  'cause.understaffed': '{from}–{to} 人手不足：{officers} 名安检员应对每分钟 {perMin} 件（按每件 {secondsPerItem} 秒需 {needed} 名）',
  'cause.slow-decisions': '{from}–{to} 判图偏慢：行李等待期间每名安检员每分钟 {perOfficerPerMin} 件（按每件 {secondsPerItem} 秒应为 {expectedPerMin} 件）',
  'cause.lane-stopped': '{lane} 在 {from}–{to} 停止：{minutes} 分钟无行李，其他通道仍在运行',
  'cause.lane-stoppedEnd': '{lane} 自 {from} 停止：此后再无行李，其他通道仍在运行',
  'cause.search-waiting': '旅客截止时间 {time} 时仍有 {count} 件行李等待开包检查（共 {searched} 件送检）',
  'cause.late-checked': '{count} 件托运行李在截止时间 {time} 之后才到达安检（最后一件 {last}）',
  'cause.late-cabin': '{count} 件手提行李在旅客截止时间 {time} 之后才到达安检（最后一件 {last}）',
  'cause.time-limit': '{count} 件行李判图超时，自动送开包检查',
};

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly { lang: Lang; name: string }[] = [
  { lang: 'en', name: 'English' },
  { lang: 'zh-CN', name: '中文' },
];
const DICTIONARIES: Record<Lang, Record<LabelKey, string>> = { en, 'zh-CN': zhCN };

export type Values = Readonly<Record<string, string | number>>;

/** The label in `lang` with its `{placeholders}` filled; a missing value stays as written, so it shows. */
export function translate(lang: Lang, key: LabelKey, values: Values = {}): string {
  return DICTIONARIES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : String(v);
  });
}

/** The `{placeholders}` of a label, sorted: both languages must use the same. */
export function placeholders(label: string): string[] {
  return [...label.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

export const LANG_STORAGE_KEY = 'clearway.dashboard.lang';

export function storedLang(storage: Pick<Storage, 'getItem'> | null): Lang {
  const v = storage?.getItem(LANG_STORAGE_KEY);
  return v === 'zh-CN' ? 'zh-CN' : 'en';
}

export const useLang = create<{ lang: Lang }>()(() => ({ lang: storedLang(typeof localStorage === 'undefined' ? null : localStorage) }));

export function setLang(lang: Lang): void {
  useLang.setState({ lang });
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Storage full or blocked: the choice holds for this session.
  }
}

/** The dashboard's translate function in the chosen language. */
export function useT(): (key: LabelKey, values?: Values) => string {
  const lang = useLang((s) => s.lang);
  return (key, values) => translate(lang, key, values);
}
