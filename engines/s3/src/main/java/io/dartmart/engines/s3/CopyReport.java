package io.dartmart.engines.s3;

/** What a copy did: objects copied (and their bytes), objects skipped because the destination already had them. */
record CopyReport(long copied, long bytesCopied, long skipped) {
    @Override
    public String toString() {
        return copied + " copied (" + bytesCopied + " bytes), " + skipped + " skipped as already there";
    }
}
