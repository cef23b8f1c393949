package io.gonkanode.sim.fastapi;

/** A FastAPI {@code HTTPException}: answered as {@code {"detail": <detail>}} with its status. */
public class HttpError extends RuntimeException {

    private final int status;
    private final transient Object detail;

    public HttpError(int status, Object detail) {
        super(String.valueOf(detail));
        this.status = status;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public Object detail() {
        return detail;
    }
}
