/**
 * Share links of file-hosting services are web pages, not images: a provider fetching one gets
 * HTML and fails the task (after the row may have been paid). The documented direct-download forms
 * are used instead where they exist (docs/provider-contracts.md, "Share links"); hosts with none
 * are refused before anything is spent, saying how to get a direct link.
 */
export type ShareLink = { direct: string } | { refuse: string } | undefined;

const COPY_IMAGE_ADDRESS =
  "open the image itself in a browser and copy its address (right-click → Copy image address)";

export function readShareLink(url: URL): ShareLink {
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  if (host === "drive.google.com") return googleDrive(url);
  if (host === "dropbox.com") return dropbox(url);
  if (host === "docs.google.com")
    return {
      refuse: "is a Google Docs page, not an image; put the image in Google Drive and share that file",
    };
  if (host === "photos.google.com" || host === "photos.app.goo.gl")
    return {
      refuse: `is a Google Photos page, not an image; ${COPY_IMAGE_ADDRESS}, or download it and give the file's path`,
    };
  if (host === "1drv.ms" || host === "onedrive.live.com" || host.endsWith(".sharepoint.com"))
    return {
      refuse: `is a OneDrive share page, not an image; download the file and give its path, or ${COPY_IMAGE_ADDRESS}`,
    };
  if (host === "icloud.com" || host === "we.tl" || host === "wetransfer.com")
    return { refuse: "is a share page, not an image; download the file and give its path instead" };
  if (host === "imgur.com" && !/\.(png|jpe?g|webp)$/i.test(url.pathname))
    return { refuse: `is an Imgur page, not an image; use the i.imgur.com address (${COPY_IMAGE_ADDRESS})` };
  return undefined;
}

/** `/file/d/<id>/view` and `/open?id=<id>` → `/uc?export=download&id=<id>`. */
function googleDrive(url: URL): ShareLink {
  const id =
    // `/file/u/1/d/<id>` when signed in to more than one account.
    /^\/file(?:\/u\/\d+)?\/d\/([\w-]{10,})/.exec(url.pathname)?.[1] ??
    (url.pathname === "/open" || url.pathname === "/uc" ? url.searchParams.get("id") : null);
  if (id && /^[\w-]{10,}$/.test(id)) {
    const direct = new URL("https://drive.google.com/uc");
    direct.searchParams.set("export", "download");
    direct.searchParams.set("id", id);
    const key = url.searchParams.get("resourcekey");
    if (key) direct.searchParams.set("resourcekey", key);
    return { direct: direct.href };
  }
  if (url.pathname.startsWith("/drive/folders"))
    return { refuse: "is a Google Drive folder; share each image file and use the file's link" };
  return {
    refuse:
      "is a Google Drive page vidbatch cannot turn into a file link; open the image, choose Share → Copy link (a /file/d/… link) and use that",
  };
}

/** `dl=0` (a preview page) → `dl=1` (the file itself); other parameters (`rlkey`) are kept. */
function dropbox(url: URL): ShareLink {
  if (url.pathname.startsWith("/sh/") || url.pathname.startsWith("/scl/fo/"))
    return { refuse: "is a Dropbox folder; share each image file and use the file's link" };
  if (!url.pathname.startsWith("/s/") && !url.pathname.startsWith("/scl/fi/"))
    return {
      refuse: "is a Dropbox page, not a shared file; open the file, choose Share → Copy link and use that",
    };
  const direct = new URL(url.href);
  direct.searchParams.delete("raw");
  direct.searchParams.set("dl", "1");
  return { direct: direct.href };
}
