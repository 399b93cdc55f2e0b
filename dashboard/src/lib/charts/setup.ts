/**
 * chart.js with only the parts the dashboard draws (line, bar, scatter), registered once, and the palette every
 * chart shares: Okabe–Ito colours, told apart by people with colour-vision deficiencies.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, BarController, ScatterController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = '#3d4650';
Chart.defaults.borderColor = '#e2e6ea';
Chart.defaults.maintainAspectRatio = false;

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#4d4d4d', '#F0E442'];

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

export { Chart };
