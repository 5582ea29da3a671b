// Everything that pulls in recharts (~130 kB gzip): only the weekly trend bar charts, loaded
// when one nears the viewport.
export { ChartBar } from "./chart-bar";
