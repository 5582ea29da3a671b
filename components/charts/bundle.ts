// The charts (plain SVG, a few kB), loaded as one chunk when a chart nears the viewport: a first
// view without a chart never pays for them.
export { ChartArea, ChartLine } from "./chart-xy";
export { ChartBar } from "./chart-bar";
export { SparklineChart } from "./sparkline-chart";
export { ChartAlertWindow } from "./chart-alert-window";
