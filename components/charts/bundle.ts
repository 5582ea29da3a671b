// The time-series charts (plain SVG, a few kB), loaded as one chunk when a chart nears the
// viewport. The bar charts, drawn with recharts, are a chunk of their own (bundle-bar.ts), so a
// page with lines or sparklines never loads the charting library.
export { ChartArea, ChartLine } from "./chart-xy";
export { SparklineChart } from "./sparkline-chart";
export { ChartAlertWindow } from "./chart-alert-window";
