/**
 * What an attacker posts to a KIE callback address: a "success" whose video is not the task's, or
 * a "failure" of a task that is in fact generating. KIE's signature covers only `taskId.timestamp`,
 * so signed by replay these verify (docs/provider-contracts.md, KIE callbacks).
 */
export function forgedKieCallback(
  task: { taskId: string; model: string; param: string },
  outcome: "success" | "fail",
  baseUrl: string,
): unknown {
  const common = { taskId: task.taskId, model: task.model, param: task.param };
  return outcome === "success"
    ? {
        code: 200,
        msg: "Playground task completed successfully.",
        data: {
          ...common,
          state: "success",
          resultJson: JSON.stringify({ resultUrls: [`${baseUrl}/files/${"f".repeat(32)}.mp4`] }),
          consumeCredits: 1,
        },
      }
    : {
        code: 501,
        msg: "Playground task failed.",
        data: {
          ...common,
          state: "fail",
          failCode: "422",
          failMsg: "forged: content policy",
          consumeCredits: 0,
        },
      };
}
