// Everything that pulls in recharts, loaded as one chunk after the page is interactive so the
// charting library stays out of every route's first-load JavaScript.
export { ChartArea } from "./chart-area";
export { ChartBar } from "./chart-bar";
export { ChartLine } from "./chart-line";
export { SparklineChart } from "./sparkline-chart";
