import { DEFAULT_THEME, mergeMantineTheme } from "@mantine/core";
import { describe, expect, it } from "vitest";

import { contrast, cssVariablesResolver, readable, theme } from "./theme";

const resolved = mergeMantineTheme(DEFAULT_THEME, theme);
const light = cssVariablesResolver(resolved).light;
const pageGrey = resolved.colors.gray[0];

describe("the theme's colours read at WCAG AA (4.5:1)", () => {
  it("darkens a colour only as far as it must", () => {
    expect(readable("#000000", "#ffffff")).toBe("#000000");
    const green = readable(resolved.colors.green[8], "#ffffff");
    expect(contrast(green, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(green, "#ffffff")).toBeLessThan(5.2);
  });

  for (const name of Object.keys(resolved.colors)) {
    it(`${name}: text on the page, a light variant's text on its tint`, () => {
      expect(contrast(light[`--mantine-color-${name}-text`], pageGrey)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(light[`--mantine-color-${name}-text`], "#ffffff")).toBeGreaterThanOrEqual(4.5);
      // Mantine's light background: the shade at 10% over white (or over the page's grey).
      const shade = resolved.colors[name][8];
      for (const under of ["#ffffff", pageGrey]) {
        const tint = mix(under, shade, 0.1);
        expect(contrast(light[`--mantine-color-${name}-light-color`], tint)).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it("dimmed text and errors", () => {
    expect(contrast(resolved.colors.gray[7], pageGrey)).toBeGreaterThanOrEqual(4.5);
    expect(light["--mantine-color-dimmed"]).toBe("var(--mantine-color-gray-7)");
    expect(contrast(light["--mantine-color-error"], "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(light["--mantine-color-placeholder"], "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
});

function mix(a: string, b: string, share: number) {
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${rgb(a).map((c, i) => Math.round(c * (1 - share) + rgb(b)[i] * share).toString(16).padStart(2, "0")).join("")}`;
}
