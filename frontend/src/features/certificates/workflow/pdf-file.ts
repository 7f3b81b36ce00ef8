// A downloaded certificate as a file for the browser.
import type { DownloadCertificateResponse } from "../../../gen/zeugo/v1/certificates_pb.js";
import { safeFileName, type DownloadFile } from "../../../api/employees.js";

/** pdfFile is the response's PDF as a Blob with a safe file name. */
export function pdfFile(res: DownloadCertificateResponse): DownloadFile {
  const bytes = new Uint8Array(res.pdf);
  return { blob: new Blob([bytes], { type: "application/pdf" }), fileName: safeFileName(res.fileName) || "Zeugnis.pdf" };
}
