/// Segment's documented bucket policy with encryption enforced (the seed), for `bucket` and `principal`.
func seedPolicy(bucket: String, principal: String, enforceEncryption: Bool = true) -> String {
    let allow = """
                {
                    "Sid": "AllowSegmentUser",
                    "Effect": "Allow",
                    "Principal": {
                        "AWS": "\(principal)"
                    },
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::\(bucket)/segment-logs/*"
                }
        """
    let denies = """
                ,
                {
                    "Sid": "DenyIncorrectEncryptionHeader",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::\(bucket)/*",
                    "Condition": {
                        "StringNotEquals": {
                            "s3:x-amz-server-side-encryption": "AES256"
                        }
                    }
                },
                {
                    "Sid": "DenyUnEncryptedObjectUploads",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::\(bucket)/*",
                    "Condition": {
                        "Null": {
                            "s3:x-amz-server-side-encryption": "true"
                        }
                    }
                }
        """
    return """
        {
            "Version": "2008-10-17",
            "Id": "Policy1425281770533",
            "Statement": [
        \(allow)\(enforceEncryption ? denies : "")
            ]
        }
        """
}
