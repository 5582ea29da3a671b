/** A chart's height in px (legend included) unless it says otherwise: its placeholder and its
 *  panel's loading state take the same box, so drawing it moves nothing. */
export const CHART_HEIGHT = 200;
