// Everything that pulls in recharts, loaded as one chunk after the page is interactive so the
// charting library stays out of every route's first-load JavaScript.
export { ChartBar } from "./chart-bar";
export { ChartArea, ChartLine } from "./chart-xy";
export { SparklineChart } from "./sparkline-chart";
export { ChartAlertWindow } from "./chart-alert-window";
