package io.veoupscale.flow;

/**
 * Flow refused a start because a daily quota is spent: the account's
 * ({@code ..._USER_QUOTA_REACHED}, {@code ..._WORKSPACE_ACCOUNT_QUOTA_REACHED}), or one
 * model's ({@code ..._PER_MODEL_DAILY_QUOTA_REACHED(_UPGRADEABLE)}). Nothing more of that
 * account (or model) should be sent until the quota resets.
 */
public class FlowQuotaException extends FlowRefusedException {

	private final boolean perModel;

	public FlowQuotaException(String reason, int httpStatus, String message, boolean perModel) {
		super(reason, httpStatus, message);
		this.perModel = perModel;
	}

	/**
	 * Whether only the model's quota is spent, not the account's.
	 * @return true for a per-model quota
	 */
	public boolean perModel() {
		return this.perModel;
	}

}
