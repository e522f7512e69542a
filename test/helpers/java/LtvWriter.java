/*
 * Validation data and document time-stamps written by Apache PDFBox 2 and Bouncy Castle
 * (Debian's libpdfbox2-java, libbcprov-java, libbcpkix-java), not by Overa: the verifier's
 * tests read PDFs extended by this program the same as their own fixtures.
 *
 *   java -cp <pdfbox2, fontbox2, commons-logging, bcprov, bcpkix, bcutil> LtvWriter.java \
 *     dss <in.pdf> <out.pdf> [--cert f.der]... [--ocsp f.der]... [--crl f.der]...
 *     doc-ts <in.pdf> <out.pdf> <openssl ts dir (ts.cnf, section tsa1)>
 *
 * `dss` adds a /DSS (FlateDecode streams, and a /VRI entry for every signature) the way
 * PDFBox's AddValidationInformation example does; `doc-ts` adds a /DocTimeStamp
 * (ETSI.RFC3161) whose token comes from `openssl ts -reply`, unwrapped with Bouncy Castle.
 * Both save incrementally.
 */
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.tsp.TimeStampResponse;

public class LtvWriter {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    File in = new File(args[1]);
    File out = new File(args[2]);
    if (mode.equals("dss")) dss(in, out, args);
    else if (mode.equals("doc-ts")) docTimestamp(in, out, new File(args[3]));
    else throw new IllegalArgumentException("mode: dss or doc-ts");
  }

  private static COSArray streams(PDDocument doc, List<byte[]> items) throws Exception {
    COSArray array = new COSArray();
    for (byte[] item : items) {
      PDStream stream = new PDStream(doc, new ByteArrayInputStream(item), COSName.FLATE_DECODE);
      stream.getCOSObject().setNeedToBeUpdated(true);
      array.add(stream);
    }
    array.setNeedToBeUpdated(true);
    return array;
  }

  static void dss(File in, File out, String[] args) throws Exception {
    List<byte[]> certs = new ArrayList<>(), ocsps = new ArrayList<>(), crls = new ArrayList<>();
    for (int i = 3; i + 1 < args.length; i += 2) {
      byte[] data = Files.readAllBytes(new File(args[i + 1]).toPath());
      switch (args[i]) {
        case "--cert": certs.add(data); break;
        case "--ocsp": ocsps.add(data); break;
        case "--crl": crls.add(data); break;
        default: throw new IllegalArgumentException(args[i]);
      }
    }
    try (PDDocument doc = PDDocument.load(in)) {
      COSDictionary catalog = doc.getDocumentCatalog().getCOSObject();
      COSDictionary dss = new COSDictionary();
      dss.setItem(COSName.getPDFName("Certs"), streams(doc, certs));
      dss.setItem(COSName.getPDFName("OCSPs"), streams(doc, ocsps));
      dss.setItem(COSName.getPDFName("CRLs"), streams(doc, crls));
      COSDictionary vri = new COSDictionary();
      for (PDSignature sig : doc.getSignatureDictionaries()) {
        byte[] contents = ((org.apache.pdfbox.cos.COSString) sig.getCOSObject().getDictionaryObject(COSName.CONTENTS)).getBytes();
        StringBuilder key = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-1").digest(contents)) key.append(String.format("%02X", b));
        COSDictionary entry = new COSDictionary();
        entry.setItem(COSName.getPDFName("OCSP"), streams(doc, ocsps));
        entry.setNeedToBeUpdated(true);
        vri.setItem(COSName.getPDFName(key.toString()), entry);
      }
      vri.setNeedToBeUpdated(true);
      dss.setItem(COSName.getPDFName("VRI"), vri);
      dss.setNeedToBeUpdated(true);
      catalog.setItem(COSName.getPDFName("DSS"), dss);
      catalog.setNeedToBeUpdated(true);
      try (FileOutputStream os = new FileOutputStream(out)) {
        doc.saveIncremental(os);
      }
    }
  }

  static byte[] timestamp(byte[] data, File tsaDir) throws Exception {
    File dataFile = File.createTempFile("ltv-", ".bin", tsaDir);
    File query = File.createTempFile("ltv-", ".tsq", tsaDir);
    File reply = File.createTempFile("ltv-", ".tsr", tsaDir);
    Files.write(dataFile.toPath(), data);
    run(tsaDir, "openssl", "ts", "-query", "-data", dataFile.getPath(), "-sha256", "-cert", "-out", query.getPath());
    run(tsaDir, "openssl", "ts", "-reply", "-config", "ts.cnf", "-section", "tsa1", "-queryfile", query.getPath(), "-out", reply.getPath());
    TimeStampResponse response = new TimeStampResponse(Files.readAllBytes(reply.toPath()));
    if (response.getTimeStampToken() == null) throw new IllegalStateException("no time-stamp token: " + response.getStatusString());
    dataFile.delete();
    query.delete();
    reply.delete();
    return response.getTimeStampToken().getEncoded();
  }

  private static void run(File dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + new String(output));
  }

  static void docTimestamp(File in, File out, File tsaDir) throws Exception {
    try (PDDocument doc = PDDocument.load(in)) {
      PDSignature signature = new PDSignature();
      signature.setType(COSName.DOC_TIME_STAMP);
      signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      signature.setSubFilter(COSName.getPDFName("ETSI.RFC3161"));
      SignatureOptions options = new SignatureOptions();
      options.setPreferredSignatureSize(16000);
      doc.addSignature(signature, (InputStream content) -> {
        try {
          return timestamp(content.readAllBytes(), tsaDir);
        } catch (Exception e) {
          throw new java.io.IOException(e);
        }
      }, options);
      try (FileOutputStream os = new FileOutputStream(out)) {
        doc.saveIncremental(os);
      }
      options.close();
    }
  }
}
