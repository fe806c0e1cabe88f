// The customer form's avatar: the current picture or a preview of the chosen file, a dropzone to
// choose another (PNG, JPEG or WebP up to 2 MiB, as the server takes them) and "Remove". The file
// is sent when the form is saved, once the customer exists (see uploadAvatarChange).
import { Avatar, Button, Group, Stack, Text } from "@mantine/core";
import { Dropzone, FileRejection } from "@mantine/dropzone";
import { useEffect, useMemo, useRef, useState } from "react";

import { api } from "../api";

export type AvatarChange = { kind: "keep" } | { kind: "replace"; file: File } | { kind: "remove" };

export const avatarTypes = ["image/png", "image/jpeg", "image/webp"];
export const avatarMaxBytes = 2 * 1024 * 1024;

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? "") + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase() || "?";
}

export function rejectionText(rejections: FileRejection[]): string {
  const code = rejections[0]?.errors[0]?.code;
  if (code === "file-too-large") return "The image is larger than 2 MB: choose a smaller one.";
  if (code === "file-invalid-type") return "Choose a PNG, JPEG or WebP image.";
  if (code === "too-many-files") return "Choose one image.";
  return "This file cannot be used as an avatar.";
}

export function AvatarPicker({ name, currentUrl, change, onChange, error }: {
  name: string;
  currentUrl: string | null;
  change: AvatarChange;
  onChange: (change: AvatarChange) => void;
  error?: string | null;
}) {
  const [rejected, setRejected] = useState<string | null>(null);
  const openRef = useRef<() => void>(null);
  const preview = useMemo(() => (change.kind === "replace" ? URL.createObjectURL(change.file) : null), [change]);
  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview); }, [preview]);
  const shown = change.kind === "replace" ? preview : change.kind === "remove" ? null : currentUrl;

  return (
    <Stack gap="xs" align="center">
      <Avatar src={shown} size={112} radius={112} alt={shown ? `Avatar of ${name || "the customer"}` : undefined}
        data-testid="avatar-preview" color="indigo">
        {initials(name)}
      </Avatar>
      {/* The area takes a dropped file or a click; keyboard users get the real button below it. */}
      <Dropzone openRef={openRef} activateOnKeyboard={false}
        onDrop={(files) => { setRejected(null); if (files[0]) onChange({ kind: "replace", file: files[0] }); }}
        onReject={(rejections) => setRejected(rejectionText(rejections))}
        accept={avatarTypes} maxSize={avatarMaxBytes} multiple={false} w="100%" p="sm"
        inputProps={{ "aria-label": "Avatar image file" }}>
        <Text size="sm" ta="center">Drop an image here or click to choose</Text>
        <Text size="xs" c="dimmed" ta="center">PNG, JPEG or WebP, up to 2 MB</Text>
      </Dropzone>
      {(rejected || error) && <Text size="xs" c="red" role="alert">{rejected ?? error}</Text>}
      <Group gap="xs" justify="center">
        <Button size="compact-xs" variant="light" onClick={() => openRef.current?.()}>
          {shown ? "Choose another picture" : "Choose a picture"}
        </Button>
        {change.kind === "replace" && <Text size="xs" c="dimmed">New picture, saved with the form</Text>}
        {change.kind !== "keep" && (
          <Button size="compact-xs" variant="subtle" onClick={() => onChange({ kind: "keep" })}>Undo</Button>
        )}
        {change.kind === "keep" && currentUrl && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange({ kind: "remove" })}>Remove picture</Button>
        )}
        {change.kind === "remove" && <Text size="xs" c="dimmed">Removed when you save</Text>}
      </Group>
    </Stack>
  );
}

//! Sends the avatar change of a saved customer: the image's bytes, or the removal. Returns the new
//! avatar (null when removed), or undefined when nothing changed.
export async function uploadAvatarChange(customerId: number, change: AvatarChange) {
  if (change.kind === "replace") {
    const answer = await api<{ avatar: { url: string; thumbnail_url: string } }>(
      "PUT", `/api/customers/${customerId}/avatar`, undefined, { bytes: change.file });
    return { url: answer.avatar.url, thumbnail_url: answer.avatar.thumbnail_url };
  }
  if (change.kind === "remove") {
    await api("DELETE", `/api/customers/${customerId}/avatar`);
    return null;
  }
  return undefined;
}
