import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { bucketLayout } from '../platform/resources';
import type { MaterialStorage } from '../repair/ports';

/**
 * Repair materials in the data bucket under repair-materials/<application>/<material>: a presigned
 * PUT (the applicant's browser uploads without credentials; the Content-Type is signed, so it must
 * be sent as given) and HeadObject to see that it arrived.
 */
export class S3MaterialStorage implements MaterialStorage {
  constructor(
    private readonly s3: S3Client,
    readonly bucketName: string,
  ) {}

  async uploadTarget(
    applicationNo: string,
    materialId: string,
    contentType: string,
    expiresInSeconds: number,
  ) {
    const command = new PutObjectCommand({
      Bucket: this.bucketName,
      Key: bucketLayout.repairMaterialKey(applicationNo, materialId),
      ContentType: contentType,
    });
    const url = await getSignedUrl(this.s3, command, { expiresIn: expiresInSeconds });
    return { url, headers: { 'content-type': contentType } };
  }

  async exists(applicationNo: string, materialId: string): Promise<boolean> {
    try {
      await this.s3.send(
        new HeadObjectCommand({
          Bucket: this.bucketName,
          Key: bucketLayout.repairMaterialKey(applicationNo, materialId),
        }),
      );
      return true;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchKey') return false;
      throw error;
    }
  }
}
