/**
 * A failure that says the provider's content filter refused the row: KIE's failCode 422 "Invalid
 * prompt: prompt contains prohibited content", Kling's task_status_msg "Content moderation review
 * failed." and create codes 1300/1301 (platform and content security policy). The same prompt
 * would be refused again, so such a row is not offered to --retry-failed: it needs an edit.
 */
const REFUSAL =
  /prohibited content|content (security )?polic|moderation|sensitive content|nsfw|safety (check|filter|system)|\(code 130[01]\)|\bcode 130[01]\b/i;

export function isContentRefusal(error: string | null | undefined): boolean {
  return typeof error === "string" && REFUSAL.test(error);
}
