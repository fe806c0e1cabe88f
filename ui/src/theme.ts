// The app's Mantine theme, with colours that meet WCAG 2.1 AA (4.5:1 for text; axe-core checks it
// in the browser tests). Mantine's default shade 6 is too light for white text (indigo 4.3:1) and
// its dimmed grey too light for text (3.3:1); green, yellow, orange, teal and cyan are too light as
// text on white at every shade, so their text colours are darkened until they read.
import {
  ColorPicker, Combobox, CSSVariablesResolver, DEFAULT_THEME, Drawer, Modal, MultiSelect, Notification, Select, createTheme,
} from "@mantine/core";
import { DateInput, DatePickerInput } from "@mantine/dates";

const white = "#ffffff";
const black = "#000000";
// The lightest backgrounds text stands on: the page's grey and a light variant's tint over it.
const page = DEFAULT_THEME.colors.gray[0];
const textShade = 8;
const target = 4.6;
const luminanceThreshold = 0.19;  // 4.5:1, with room for rounding and antialiasing

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const hex = (channels: number[]) => `#${channels.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
const mix = (a: string, b: string, share: number) => hex(rgb(a).map((c, i) => c * (1 - share) + rgb(b)[i] * share));

function luminance(color: string) {
  const [r, g, b] = rgb(color).map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

//! The colour, darkened towards black in small steps until it reads on the background.
export function readable(color: string, background: string) {
  let share = 0;
  let result = color;
  while (contrast(result, background) < target && share < 1) {
    share += 0.05;
    result = mix(color, black, share);
  }
  return result;
}
const calendarLabels = {
  monthLevelControl: "Choose the month", yearLevelControl: "Choose the year",
  previousMonth: "Previous month", nextMonth: "Next month", previousYear: "Previous year", nextYear: "Next year",
  previousDecade: "Previous decade", nextDecade: "Next decade",
};

const clearButton = { "aria-label": "Clear" };
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: textShade, dark: textShade },
  defaultRadius: "md",
  // Filled buttons, badges and icons choose black or white text by their background's luminance
  // (both give 4.58:1 at 0.18); at 0.19 red's shade 8 still takes white (4.51:1).
  autoContrast: true,
  luminanceThreshold,
  // Their close buttons and the calendars' arrows are icons: they need a name for screen readers.
  components: {
    DateInput: DateInput.extend({ defaultProps: { ariaLabels: calendarLabels, clearButtonProps: clearButton } }),
    DatePickerInput: DatePickerInput.extend({ defaultProps: { ariaLabels: calendarLabels, clearButtonProps: clearButton } }),
    ColorPicker: ColorPicker.extend({
      defaultProps: { saturationLabel: "Saturation and brightness", hueLabel: "Hue", alphaLabel: "Opacity" },
    }),
    Select: Select.extend({ defaultProps: { clearButtonProps: clearButton } }),
    MultiSelect: MultiSelect.extend({ defaultProps: { clearButtonProps: clearButton } }),
    // A long list of options scrolls in a box that the keyboard does not enter: the options are
    // chosen with the arrow keys from the input (aria-activedescendant), the box scrolling along.
    // axe-core cannot see that and wants a focusable box or focusable content; options that take
    // focus from script (never from Tab, and not on click: Mantine keeps the focus in the input)
    // tell it the content is reachable.
    ComboboxOption: Combobox.Option.extend({ defaultProps: { tabIndex: -1 } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close panel" } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { "aria-label": "Close notification" } },
      // Mantine's is grey 6 whatever the theme's dimmed colour is.
      styles: { description: { color: "var(--mantine-color-dimmed)" } },
    }),
  },
});

//! Text colours per palette: plain text on the page (c="green"), and a light variant's text on its
//! own tint (badges, alerts, light buttons).
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const light: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    // Some placeholders are text in a button (a date picker's "Any time"), held to the same rule.
    "--mantine-color-placeholder": readable(resolved.colors.gray[6], white),
    "--mantine-color-error": readable(resolved.colors.red[textShade], page),
  };
  for (const [name, shades] of Object.entries(resolved.colors)) {
    const shade = shades[textShade];
    const tint = mix(page, shade, 0.12);
    light[`--mantine-color-${name}-text`] = readable(shade, page);
    light[`--mantine-color-${name}-light-color`] = readable(shade, tint);
    light[`--mantine-color-${name}-outline`] = readable(shade, white);
    // Hovering darkens a filled button, which black text would no longer read on: those lighten.
    if (luminance(shade) > luminanceThreshold) light[`--mantine-color-${name}-filled-hover`] = shades[textShade - 1];
  }
  return { variables: {}, light, dark: {} };
};
