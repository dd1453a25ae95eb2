/**
 * Another tool's tasks on the same Kling account, newer than any of the client's: no external id
 * (`task_info: {}`), finished, with a video that is not the client's. A list that ignores its
 * `external_task_id` filter answers these first (the hostile lookup mode).
 */
export function foreignKlingTasks(count: number, now: number, baseUrl: string): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    task_id: `9${String(now).slice(-9)}${i}`,
    task_status: "succeed",
    task_status_msg: "",
    task_info: {},
    created_at: now,
    updated_at: now,
    final_unit_deduction: "1",
    task_result: { videos: [{ id: `foreign${i}`, url: `${baseUrl}/files/foreign-${i}.mp4`, duration: "5" }] },
  }));
}
